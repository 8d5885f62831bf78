"""Posting values encoded as whoosh3's formats encode them, without their per-call overhead.

fields.FastText computes a text's {term: [positions]} in one pass; these turn the positions into
the posting value Whoosh would have stored: formats.Positions.encode(positions) (a uint count,
then the pickled deltas) or, for formats.Frequency, the packed count (whoosh3 3.54: Frequency
packs it inline in word_values(), with no public encode()).
"""
from operator import sub
from pickle import dumps

from whoosh import formats
from whoosh.system import pack_uint

ONE_POSITION_CACHE = 4096
_ONE_POSITION_CODES: dict[int, bytes] = {}  # the same for every Positions field


def value_encoder(format_):
    """Positions -> the encoded value of a posting in a field of this format (Positions or Frequency)."""
    return pack_frequency if type(format_) is formats.Frequency else positions_code


def pack_frequency(positions: list[int]) -> bytes:
    """What formats.Frequency stores for a term occurring len(positions) times."""
    return pack_uint(len(positions))


def positions_code(positions: list[int]) -> bytes:
    """formats.Positions.encode(positions), with one-position lists memoised."""
    if len(positions) > 1:
        deltas = [positions[0], *map(sub, positions[1:], positions)]
        return pack_uint(len(deltas)) + dumps(deltas, 2)
    code = _ONE_POSITION_CODES.get(positions[0])
    if code is None:
        code = pack_uint(1) + dumps(positions, 2)
        if len(_ONE_POSITION_CODES) < ONE_POSITION_CACHE:
            _ONE_POSITION_CODES[positions[0]] = code
    return code

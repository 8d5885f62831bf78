"""Bulk indexing for rebuild(): postings gathered per term in memory, written a block at a time.

Whoosh's SegmentWriter puts every posting in a pool of tuples, sorts them, then hands them one
by one to the postings writer, reading each document's field length back from disk on the way:
a dozen Python calls per posting, most of a rebuild's time. BulkSegmentWriter keeps, per field
and term, the document numbers, weights and encoded values in compact arrays, and the field
lengths in memory; at commit it writes each term's postings in blocks of the codec's size with
the block statistics computed in one go. The segment files are byte for byte the ones
SegmentWriter writes for the same documents (tests/search_index/test_index_bulk.py).

Fields are recognised by what they offer: `pairs(value)` (fields.PairField: position-less pair
terms, kept as text) and `positions(value)` with `value_encoder()` (fields.FastText: a text's
{term: [positions]} in one pass). rebuild.py runs these writers, in worker processes or not.
"""
import zlib
from array import array
from operator import sub
from pickle import dumps

from whoosh import formats
from whoosh.codec.whoosh3 import COMPRESSION_MIN_SIZE, LENGTHS_COLUMN, WHOOSH3_HEADER_MAGIC, W3TermInfo, _lenfield
from whoosh.filedb import filetables
from whoosh.system import pack_int, pack_long, pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

TERMS_PER_WRITE = 4096
LENGTH_BYTES = [length_to_byte(n) for n in range(4096)]
BYTE_LENGTHS = [byte_to_length(byte) for byte in range(256)]


def length_byte(length: int) -> int:
    """A field length as Whoosh stores it, in one byte."""
    return LENGTH_BYTES[length] if length < 4096 else length_to_byte(length)


class BulkSegmentWriter(SegmentWriter):
    """A SegmentWriter for fields without term vectors nor separate spelling (our schema)."""

    def __init__(self, ix, **kwargs):
        if any(field.vector or field.separate_spelling() for _, field in ix.schema.items()):
            raise ValueError("BulkSegmentWriter does not write term vectors or spelling fields")
        super().__init__(ix, **kwargs)
        self._terms: dict[str, dict[bytes, tuple]] = {}
        self._lengths: dict[str, array] = {}  # field -> each document's length byte (0: none)
        self._length_totals: dict[str, int] = {}
        self.posting_count = 0

    def add_reader(self, reader):
        raise NotImplementedError("BulkSegmentWriter only adds documents (see commit_segments)")

    def add_document(self, **fields):
        self._check_state()
        perdocwriter, docnum = self.perdocwriter, self.docnum
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(self.schema, fieldnames)
        perdocwriter.start_doc(docnum)
        for fieldname in fieldnames:
            value = fields[fieldname]
            if value is None:
                continue
            field = self.schema[fieldname]
            if field.indexed:
                self._index_value(fieldname, field, value, docnum)
            if field.stored:  # lengths go in at flush (_write_length_columns)
                perdocwriter.add_field(fieldname, field, value, 0)
            if field.column_type:
                perdocwriter.add_column_value(fieldname, field.column_type, field.to_column_value(value))
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def _index_value(self, fieldname: str, field, value, docnum: int) -> None:
        """Gathers the value's postings and, for a scorable field, its length."""
        terms = self._terms.get(fieldname)
        if terms is None:
            terms = self._terms[fieldname] = {}
        if is_pair_field(field):
            self._index_documents(terms, field.pairs(value), docnum)
            return
        if documents_only(field):
            self._index_documents(terms, [tbytes for tbytes, *_ in field.index(value)], docnum)
            return
        places = field.positions(value) if hasattr(field, "positions") else None
        if places is None:
            length = self._index_postings(terms, list(field.index(value)), docnum)
        else:
            length = self._index_positions(terms, places, field.format.field_boost, field.value_encoder(), docnum)
        if not field.scorable or not length:
            return
        lengths = self._lengths.get(fieldname)
        if lengths is None:
            lengths = self._lengths[fieldname] = array("B")
        lengths.frombytes(bytes(docnum + 1 - len(lengths)))  # zeros up to this document
        lengths[docnum] = length_byte(length)
        self._length_totals[fieldname] = self._length_totals.get(fieldname, 0) + length

    def _index_positions(self, terms: dict, places: dict, boost: float, encode, docnum: int) -> int:
        """A FastText value's {term: [positions]}, terms kept as text (encoded once, at flush)."""
        get = terms.get
        for text, positions in places.items():
            term = get(text)
            if term is None:
                term = terms[text] = (array("I"), array("f"), [])
            term[0].append(docnum)
            term[1].append(len(positions) * boost)
            term[2].append(encode(positions))
        self.posting_count += len(places)
        return sum(map(len, places.values()))

    def _index_postings(self, terms: dict, postings: list, docnum: int) -> int:
        """Postings from Whoosh's own field.index(): (term bytes, frequency, weight, value)."""
        length = 0
        for tbytes, freq, weight, vbytes in postings:
            term = terms.get(tbytes)
            if term is None:
                term = terms[tbytes] = (array("I"), array("f"), [])
            term[0].append(docnum)
            term[1].append(weight)
            term[2].append(vbytes)
            length += freq
        self.posting_count += len(postings)
        return length

    def _index_documents(self, terms: dict, keys, docnum: int) -> None:
        """Postings that hold only their document (see documents_only): one document number per
        posting, pair terms kept as text (encoded once, at flush)."""
        for key in keys:
            ids = terms.get(key)
            if ids is None:
                ids = terms[key] = array("I")
            ids.append(docnum)
        self.posting_count += len(keys)

    def _write_length_columns(self) -> None:
        """Each scorable field's length column in one write: the bytes Whoosh's per-document
        add_field(length) would have written (one per document up to the last holding the field)."""
        perdocwriter = self.perdocwriter
        for fieldname in sorted(self._lengths):
            column = _lenfield(fieldname)
            perdocwriter._create_column(column, LENGTHS_COLUMN)  # whoosh3 3.54
            writer = perdocwriter._get_column(column)
            writer._dbfile.write(self._lengths[fieldname].tobytes())
            writer._count = len(self._lengths[fieldname])
            perdocwriter._fieldlengths[fieldname] += self._length_totals[fieldname]

    def _flush_segment(self):
        self._write_length_columns()
        self.perdocwriter.close()
        fieldwriter = self.fieldwriter
        for fieldname in sorted(self._terms):
            terms, field = self._terms[fieldname], self.schema[fieldname]
            fieldwriter.start_field(fieldname, field)
            if documents_only(field):
                _write_documents_terms(fieldwriter, terms)
            else:
                _write_terms(fieldwriter, terms, self._lengths.get(fieldname))
            fieldwriter.finish_field()
        fieldwriter.close()
        self._terms, self._lengths, self._length_totals = {}, {}, {}


def _write_terms(fieldwriter, terms: dict, lengths: array | None) -> None:
    """A field's terms (text or bytes) with their postings, in order, through Whoosh's writers."""
    postwriter = _with_fast_block_encoding(fieldwriter._postwriter)  # whoosh3 3.54
    for term in sorted(terms):
        fieldwriter.start_term(_term_bytes(term))
        _write_postings(postwriter, *terms[term], lengths)
        fieldwriter.finish_term()


def _with_fast_block_encoding(postwriter):
    """The postings writer, its block's ids and weights minified without a Python step per posting
    (the same tuples as W3PostingsWriter._mini_ids and _mini_weights give, so the same bytes)."""
    def mini_ids():
        return _deltas(postwriter._ids.tolist())

    def mini_weights():
        weights, count = postwriter._weights, len(postwriter._weights)
        if weights.count(1.0) == count:
            return None
        if weights.count(weights[0]) == count:
            return weights[0]
        return tuple(weights)

    postwriter._mini_ids, postwriter._mini_weights = mini_ids, mini_weights
    return postwriter


def _deltas(ids: list[int]) -> tuple[int, ...]:
    """A block's document numbers as the codec stores them: each minus the one before (the first as is)."""
    return tuple(map(sub, ids, [0, *ids[:-1]]))


def _write_postings(postwriter, ids: array, weights: array, values: list, lengths: array | None) -> None:
    """A term's postings into Whoosh's postings writer, one buffered block at a time, exactly as
    its add_posting() would have buffered them one by one."""
    limit = postwriter._blocklimit
    for start in range(0, len(ids), limit):
        if start:
            postwriter._write_block()
        block_ids = ids[start:start + limit]
        block_weights = weights[start:start + limit]
        postwriter._ids, postwriter._weights = block_ids, block_weights
        postwriter._values = [value for value in values[start:start + limit] if value]
        postwriter._maxweight = max(0, max(block_weights))
        block_lengths = [n for n in map(lengths.__getitem__, block_ids) if n] if lengths is not None else ()
        postwriter._minlength = BYTE_LENGTHS[min(block_lengths)] if block_lengths else None
        postwriter._maxlength = BYTE_LENGTHS[max(block_lengths)] if block_lengths else 0


def _term_bytes(term: str | bytes) -> bytes:
    return term.encode("utf-8") if type(term) is str else term


def is_pair_field(field) -> bool:
    """True for fields.PairField (its terms kept as text, encoded once at flush)."""
    return hasattr(field, "pairs")


def documents_only(field) -> bool:
    """True for a field whose postings hold nothing but the document: weight 1.0, no value, no length."""
    return is_pair_field(field) or (type(field.format) is formats.Existence and not field.scorable
                                    and field.format.field_boost == 1.0)


def _write_documents_terms(fieldwriter, terms: dict) -> None:
    """The terms of a documents_only() field, in order, a batch at a time: each term's posting
    blocks and term-table row as start_term(), add() per posting and finish_term() would write
    them, with every weight 1.0 and no values nor lengths, file offsets counted rather than asked
    for (whoosh3 3.54: W3PostingsWriter._write_block, W3TermInfo.to_bytes, OrderedHashWriter.add)."""
    postwriter = fieldwriter._postwriter
    postfile, limit, level = postwriter._postfile, postwriter._blocklimit, postwriter._compression
    field_prefix, ordered = pack_ushort(fieldwriter._fieldid), sorted(terms)  # text sorts as its UTF-8 does
    for begin in range(0, len(ordered), TERMS_PER_WRITE):
        offset, postings, rows = postfile.tell(), [], []
        for term in ordered[begin:begin + TERMS_PER_WRITE]:
            ids = terms[term]
            blocks = _documents_blocks(ids, limit, level)
            count = len(ids)
            terminfo = W3TermInfo._struct.pack(False, float(count), count, 0, 0, 1.0, ids[0], ids[-1])
            rows.append((field_prefix + _term_bytes(term), terminfo + pack_long(offset) + pack_int(len(blocks))))
            postings.append(blocks)
            offset += len(blocks)
        postfile.write(b"".join(postings))
        _add_term_rows(fieldwriter._tindex, rows)


def _documents_blocks(ids: array, limit: int, level: int) -> bytes:
    """A documents-only posting list as the postings file holds it: header, then its blocks."""
    parts, count = [WHOOSH3_HEADER_MAGIC], len(ids)
    for begin in range(0, count, limit):
        block = ids[begin:begin + limit].tolist()
        data = dumps((_deltas(block), None, None), 2)
        compression = level if len(data) >= COMPRESSION_MIN_SIZE else 0
        if compression:
            data = zlib.compress(data, compression)
        info = dumps((len(block), block[-1], 1.0, compression, 0, 0), 2)
        size = len(info) + len(data)
        parts += (pack_int(size if begin + limit < count else -size), info, data)
    return b"".join(parts)


def _add_term_rows(table, rows: list[tuple[bytes, bytes]]) -> None:
    """OrderedHashWriter.add(key, value) for each row, in one write (whoosh3 3.54 filetables)."""
    position, lastkey, parts = table.dbfile.tell(), table.lastkey, []
    buckets, positions, hashfn, header = table.buckets, table.index, table.hashfn, filetables._lengths
    for key, value in rows:
        if key <= lastkey:
            raise ValueError(f"Keys must increase: {lastkey!r}..{key!r}")
        positions.append(position)
        hashed = hashfn(key)
        buckets[hashed & 255].append((hashed, position))
        parts += (header.pack(len(key), len(value)), key, value)
        position += header.size + len(key) + len(value)
        lastkey = key
    table.dbfile.write(b"".join(parts))
    table.lastkey = lastkey

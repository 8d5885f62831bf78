"""The postings layout the fast paths read: blocks of 1,024 postings, stored uncompressed.

Whoosh's default codec writes blocks of 128, zlib level 3. scoring.py and blocks.py decode whole
posting lists a block at a time, one pickle header and one pickled body per block: fewer, larger
blocks, and no zlib, cut about a fifth of a search's time at 20,000 talks (bench/search.py), for
an index about 35% larger. Segments keep the codec they were written with (whoosh3 3.54 stores
it with the segment), so an index written before reads as it was, and new segments come in this
layout as commits and merges write them.
"""
from whoosh.codec.whoosh3 import W3Codec

POSTINGS_PER_BLOCK = 1024
WRITER_CODEC_OPTIONS = {"codec": W3Codec(blocklimit=POSTINGS_PER_BLOCK, compression=0)}

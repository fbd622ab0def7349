"""Write path: load a corpus folder, chunk it with exact offsets, embed, and persist an index folder.

Nothing here imports ``retrieval``, ``eval`` or the web layer; the passage record defined in
:mod:`index.records` is the contract that every layer above reads.
"""

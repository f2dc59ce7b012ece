"""Inputs: reading cells and files, one loader per input contract, and the validated
dataset. Findings name file, spreadsheet row and column; errors stop, warnings travel.

- :mod:`.cells`: Danish numbers, shares, yes/no, text;
- :mod:`.reading`: CSV and .xlsx files into rows with their spreadsheet row numbers;
- :mod:`.columns`: declared columns and parsing a file against them;
- :mod:`.contracts`: every input contract, and the codes the files use;
- :mod:`.register`, :mod:`.financing_frame`, :mod:`.price_index`, :mod:`.followup_files`:
  one loader per contract;
- :mod:`.dataset`: all inputs loaded and cross-checked;
- :mod:`.findings`, :mod:`.paths`, :mod:`.synthetic` (generated registers).
"""

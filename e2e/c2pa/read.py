"""Reads a file's Content Credentials with c2pa-python (the C2PA reader of the Content Authenticity Initiative's
Python binding, not the Rust crate that signed it) and prints the reader's report as JSON, for the tests to check.

Usage: python read.py FILE MIME-TYPE
"""

import sys

import c2pa


def main() -> None:
    path, mime = sys.argv[1], sys.argv[2]
    with open(path, "rb") as file:
        with c2pa.Reader(mime, file) as reader:
            print(reader.json())


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Extracts the vocabulary of GenerateExport from the real SF 311 export excerpt.

Writes three TSV files under src/main/resources/dev/intake/testdata/sf311/ (tabs, backslashes and
line breaks inside values are escaped as \\t, \\\\ and \\n; lines starting with # are comments):

  case-types.tsv    weight, Category, Request Type, Request Details, Responsible Agency
  places.tsv        Latitude, Longitude, Address, Street, Supervisor District, Neighborhood,
                    Police District, then the export's 27 computed-region columns
                    (one line per real record with a location)
  status-notes.tsv  weight, Status, Status Notes

Run from testdata/: python3 tools/extract_sf311_vocabulary.py
"""
import collections
import csv
import os

SRC = "sf311/export_2021-05_first1000.csv"
OUT = "src/main/resources/dev/intake/testdata/sf311"
PROVENANCE = ("# Derived from testdata/" + SRC + " (the head of DataSF's real full-load export of "
              "dataset vw6y-z8j6, May 2021) by tools/extract_sf311_vocabulary.py\n")


def esc(v):
    return v.replace("\\", "\\\\").replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n")


def write(name, header, lines):
    with open(os.path.join(OUT, name), "w", encoding="utf-8", newline="\n") as f:
        f.write(PROVENANCE)
        f.write("# " + "\t".join(header) + "\n")
        for line in lines:
            f.write("\t".join(esc(str(v)) for v in line) + "\n")


with open(SRC, newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f))
head, records = rows[0], rows[1:]
assert len(head) == 47 and all(len(r) == 47 for r in records)

types = collections.Counter((r[7], r[8], r[9], r[6]) for r in records)
write("case-types.tsv", ["weight", "Category", "Request Type", "Request Details", "Responsible Agency"],
      [(n, *k) for k, n in sorted(types.items(), key=lambda e: (-e[1], e[0]))])

places = [[r[15], r[16], r[10], r[11], r[12], r[13], r[14], *r[20:]] for r in records
          if float(r[15] or 0) != 0 and float(r[16] or 0) != 0]
write("places.tsv", ["Latitude", "Longitude", "Address", "Street", "Supervisor District",
                     "Neighborhood", "Police District"] + head[20:], places)

notes = collections.Counter((r[4], r[5]) for r in records)
write("status-notes.tsv", ["weight", "Status", "Status Notes"],
      [(n, *k) for k, n in sorted(notes.items(), key=lambda e: (-e[1], e[0]))])
print(len(types), "case types,", len(places), "places,", len(notes), "status notes")

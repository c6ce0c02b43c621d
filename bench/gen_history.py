#!/usr/bin/env python3
"""gen_history.py [COMMITS] [FILES]: writes to stdout a `git fast-import` stream of a repository
with COMMITS commits (default 60,000) and about FILES files in its last tree (default 6,000), as
a long-lived team project looks: a few people write most of it (Zipf-skewed authors, some with a
second address), files are added throughout, edited many times, some renamed (with and without
edits), some deleted, and feature branches are merged back now and then.
Deterministic: the same arguments give the same repository."""
import random
import sys

commits_wanted = int(sys.argv[1]) if len(sys.argv) > 1 else 60_000
files_wanted = int(sys.argv[2]) if len(sys.argv) > 2 else 6_000
rng = random.Random(20260316)
out = sys.stdout.buffer

# People: Zipf weights, so the first few write most of the commits.
first = ["Ada", "Bram", "Carla", "Dirk", "Eva", "Femke", "Gijs", "Hanna", "Ivo", "Joke", "Kees",
         "Lotte", "Maarten", "Noor", "Otto", "Pien", "Quinten", "Roos", "Sem", "Tess"]
last = ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder"]
people = []
for i in range(48):
    name = f"{first[i % len(first)]} {last[(i * 7) % len(last)]}"
    if i >= len(first):
        name += f" {i}"
    email = f"{name.split()[0].lower()}.{i}@example.com"
    people.append((name, email))
weights = [1.0 / (i + 1) ** 1.1 for i in range(len(people))]
# Some people also commit from a second address (alias merging has work to do).
second_address = {i: f"{people[i][0].split()[0].lower()}{i}@home.example" for i in (0, 3, 9, 20)}


def person():
    i = rng.choices(range(len(people)), weights)[0]
    name, email = people[i]
    if i in second_address and rng.random() < 0.2:
        email = second_address[i]
    return name, email


dirs = [f"src/{a}/{b}" for a in ("core", "net", "ui", "store", "api", "tools", "jobs", "auth")
        for b in ("base", "impl", "util", "model", "view", "io")]
dirs += ["docs", "docs/guide", "tests", "tests/unit", "vendor/json", "vendor/http", "scripts"]
exts = [".cpp", ".hpp", ".py", ".go", ".js", ".ts", ".md", ".yaml", ".sql", ".txt"]

files = {}          # path -> list of content lines (main line)
paths = []          # the keys of files, for picking at random without sorting
where = {}          # path -> index in paths


def add_path(p, lines):
    files[p] = lines
    where[p] = len(paths)
    paths.append(p)


def drop_path(p):
    i = where.pop(p)
    last_path = paths.pop()
    if last_path != p:
        paths[i] = last_path
        where[last_path] = i
    return files.pop(p)


def pick(hot=False):
    # A random unlocked file; edits cluster on a hot fifth of the files, as in real projects.
    span = max(1, len(paths) // 5) if hot else len(paths)
    while True:
        p = paths[rng.randrange(span)]
        if p not in locked:
            return p
counter = [0]
mark = [0]
when = [1_500_000_000]


def new_path():
    counter[0] += 1
    d = rng.choice(dirs)
    ext = ".md" if d.startswith("docs") else rng.choice(exts)
    return f"{d}/f{counter[0]:06d}{ext}"


def content(lines):
    return ("// part of the benchmark project\n" + "".join(lines[-24:])).encode()


def data(blob):
    out.write(b"data %d\n" % len(blob))
    out.write(blob)
    out.write(b"\n")


def commit(ref, who, message, ops, parent=None, merge=None):
    mark[0] += 1
    when[0] += rng.randint(60, 3600)
    name, email = who
    ident = f"{name} <{email}> {when[0]} +0000".encode()
    out.write(b"commit %s\nmark :%d\nauthor %s\ncommitter %s\n" % (ref.encode(), mark[0], ident, ident))
    data(message.encode())
    if parent is not None:
        out.write(b"from :%d\n" % parent)
    if merge is not None:
        out.write(b"merge :%d\n" % merge)
    for op in ops:
        if op[0] == "M":
            out.write(b"M 100644 inline %s\n" % op[1].encode())
            data(op[2])
        elif op[0] == "D":
            out.write(b"D %s\n" % op[1].encode())
        elif op[0] == "R":
            out.write(b"R %s %s\n" % (op[1].encode(), op[2].encode()))
    return mark[0]


def edit(store, path, who, tag):
    store[path].append(f"{who[0].split()[0]}: change {tag} of this file, line {len(store[path])}\n")
    return ("M", path, content(store[path]))


# The first commit: an imported code base of a fifth of the files.
who = people[0]
ops = []
for _ in range(files_wanted // 5):
    p = new_path()
    add_path(p, [f"{who[0]}: created\n"])
    ops.append(("M", p, content(files[p])))
main_tip = commit("refs/heads/main", who, "Import", ops)
made = 1
locked = set()  # files a feature branch owns until it is merged
branch = None   # the open feature branch: its tip, its own versions of its files, commits left


def merge_branch(who):
    global main_tip, branch
    ops = []
    for p, lines in sorted(branch["files"].items()):
        files[p] = lines
        ops.append(("M", p, content(lines)))
    main_tip = commit("refs/heads/main", who, "Merge branch 'feature'", ops,
                      parent=main_tip, merge=branch["tip"])
    locked.difference_update(branch["files"])
    branch = None


while made < commits_wanted:
    r = rng.random()
    who = person()
    if branch is None and r < 0.01:
        # A feature branch on a few files nobody else touches until it is merged.
        owned = set()
        while len(owned) < 6:
            owned.add(pick())
        locked.update(owned)
        branch = {"tip": main_tip, "files": {p: list(files[p]) for p in sorted(owned)},
                  "left": rng.randint(3, 12), "who": who}
        continue
    if branch is not None and r < 0.3:
        p = rng.choice(sorted(branch["files"]))
        branch["tip"] = commit("refs/heads/feature", branch["who"], "Feature work",
                               [edit(branch["files"], p, branch["who"], made)],
                               parent=branch["tip"])
        made += 1
        branch["left"] -= 1
        if branch["left"] == 0:
            merge_branch(who)
            made += 1
        continue
    growth_due = len(paths) < files_wanted * min(1.0, 0.2 + made / commits_wanted)
    if growth_due and r < 0.55:
        ops = []
        for _ in range(rng.randint(1, 4)):
            p = new_path()
            add_path(p, [f"{who[0]}: created\n"])
            ops.append(("M", p, content(files[p])))
        main_tip = commit("refs/heads/main", who, "Add files", ops, parent=main_tip)
    elif r < 0.012:
        p = pick()
        drop_path(p)
        main_tip = commit("refs/heads/main", who, "Remove a file", [("D", p)], parent=main_tip)
    elif r < 0.022:
        old = pick()
        new = new_path()
        add_path(new, drop_path(old))
        ops = [("R", old, new)]
        if rng.random() < 0.5:  # moved and edited in one commit: git finds it by similarity
            ops = [("D", old), edit(files, new, who, made)]
        main_tip = commit("refs/heads/main", who, "Move a file", ops, parent=main_tip)
    else:
        hot = rng.random() < 0.6
        changed = {pick(hot) for _ in range(rng.randint(1, 4))}
        ops = [edit(files, p, who, made) for p in sorted(changed)]
        main_tip = commit("refs/heads/main", who, "Change things", ops, parent=main_tip)
    made += 1

if branch is not None:
    merge_branch(people[0])
out.write(b"reset refs/heads/main\nfrom :%d\n\n" % main_tip)
sys.stderr.write(f"{mark[0]} commits, {len(files)} files in the last tree\n")

#!/usr/bin/env python3
"""gen_auditd.py OUT_DIR [RECORDS]: writes OUT_DIR/audit.log with RECORDS auditd records
(default 1,000,000) as a busy fleet writes them: logins, keyed syscalls with their CWD, PATH
and PROCTITLE records (some interleaved), unkeyed syscalls, service records, ENRICHED fields on
some hosts; and OUT_DIR/directory.ldif, OUT_DIR/policies.yaml, OUT_DIR/config.yaml to scan it."""
import os, random, sys

out = sys.argv[1]
total = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
os.makedirs(out, exist_ok=True)
rng = random.Random(42)
people = [(f"user{i:04d}", 10000 + i) for i in range(2000)]
hosts = [f"srv-{i:03d}" for i in range(300)]
keys = ["k8s-admin", "payments", "hr-data", "tracking", "secrets", "sudoers"]
start = 1767225600  # 2026-01-01T00:00:00Z
serial = 1000
t = float(start)
GS = "\x1d"

def systems_of(uid):
    # Externals work on k8s-admin and payments; employees on two systems each.
    if uid % 3 == 0:
        return ["k8s-admin", "payments"]
    return [keys[uid % len(keys)], keys[(uid // 7) % len(keys)]]

def syscall(node, ts, ser, uid, key, enriched):
    rec = (f"node={node} type=SYSCALL msg=audit({ts:.3f}:{ser}): arch=c000003e syscall=257 "
           f"success=yes exit=3 a0=ffffff9c a1=7ffd5e1c2a40 a2=0 a3=0 items=1 ppid=4000 pid=4001 "
           f"auid={uid} uid={uid} gid={uid} euid={uid} suid={uid} fsuid={uid} egid={uid} "
           f"sgid={uid} fsgid={uid} tty=pts1 ses=7 comm=\"kubectl\" exe=\"/usr/local/bin/kubectl\" "
           f"subj=unconfined key=\"{key}\"")
    if enriched:
        rec += f"{GS}ARCH=x86_64 SYSCALL=openat AUID=\"user{uid - 10000:04d}\" UID=\"user{uid - 10000:04d}\""
    return rec

with open(os.path.join(out, "audit.log"), "w") as f:
    written = 0
    pending = []
    while written < total:
        t += rng.random() * 2.5
        serial += 1
        node = rng.choice(hosts)
        name, uid = rng.choice(people)
        enriched = node.endswith("7")
        kind = rng.random()
        if kind < 0.10:
            lines = [f"node={node} type=USER_LOGIN msg=audit({t:.3f}:{serial}): pid=2931 uid=0 auid={uid} ses=12 subj=unconfined msg='op=login id={uid} exe=\"/usr/sbin/sshd\" hostname=10.0.4.7 addr=10.0.4.8 terminal=/dev/pts/1 res=success'"]
        elif kind < 0.40:
            # One keyed access in a thousand is outside the person's own systems.
            key = rng.choice(keys) if rng.random() < 0.001 else rng.choice(systems_of(uid))
            lines = [syscall(node, t, serial, uid, key, enriched),
                     f"node={node} type=CWD msg=audit({t:.3f}:{serial}): cwd=\"/home/{name}\"",
                     f"node={node} type=PATH msg=audit({t:.3f}:{serial}): item=0 name=\"/etc/{key}/conf\" inode=393224 dev=fd:01 mode=0100600 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0",
                     f"node={node} type=PROCTITLE msg=audit({t:.3f}:{serial}): proctitle=6B75626563746C0067657400706F6473"]
        elif kind < 0.75:
            lines = [f"node={node} type=SYSCALL msg=audit({t:.3f}:{serial}): arch=c000003e syscall=59 success=yes exit=0 a0=55d0 a1=55d1 a2=55d2 a3=0 items=2 ppid=1 pid=77 auid=4294967295 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=4294967295 comm=\"cron\" exe=\"/usr/sbin/cron\" subj=unconfined key=(null)",
                     f"node={node} type=EXECVE msg=audit({t:.3f}:{serial}): argc=2 a0=\"/bin/sh\" a1=\"-c\""]
        else:
            lines = [f"node={node} type=SERVICE_START msg=audit({t:.3f}:{serial}): pid=1 uid=0 auid=4294967295 ses=4294967295 subj=unconfined msg='unit=logrotate comm=\"systemd\" exe=\"/usr/lib/systemd/systemd\" hostname=? addr=? terminal=? res=success'"]
        # Interleave: hold some events back a little, as kernels write concurrent events.
        if len(lines) > 1 and rng.random() < 0.2:
            pending.append(lines)
            continue
        for line in lines:
            f.write(line + "\n")
        written += len(lines)
        while pending and rng.random() < 0.5:
            held = pending.pop(0)
            for line in held:
                f.write(line + "\n")
            written += len(held)
    for held in pending:
        for line in held:
            f.write(line + "\n")

with open(os.path.join(out, "directory.ldif"), "w") as f:
    f.write("dn: ou=people,dc=bench,dc=example\nobjectClass: organizationalUnit\nou: people\n\n")
    for name, uid in people:
        f.write(f"dn: uid={name},ou=people,dc=bench,dc=example\nobjectClass: inetOrgPerson\n"
                f"uid: {name}\ncn: {name}\nsn: {name}\nuidNumber: {uid}\n"
                f"employeeType: {'contractor' if uid % 3 == 0 else 'employee'}\n"
                f"contractEndDate: 2026-12-31\n\n")
    f.write("dn: ou=groups,dc=bench,dc=example\nobjectClass: organizationalUnit\nou: groups\n\n")
    # Everyone is in the groups of the systems they work on; externals of the platform
    # engagement need k8s-admin and payments (see policies.yaml).
    for index, key in enumerate(keys):
        f.write(f"dn: cn={key},ou=groups,dc=bench,dc=example\nobjectClass: groupOfNames\ncn: {key}\n")
        for name, uid in people:
            if key in systems_of(uid):
                f.write(f"member: uid={name},ou=people,dc=bench,dc=example\n")
        f.write("\n")

with open(os.path.join(out, "policies.yaml"), "w") as f:
    f.write("staff:\n  seconded_when: { employeeType: [contractor] }\nsystems:\n")
    for key in keys:
        f.write(f"  - id: {key}\n    criticality: high\n    groups: [\"cn={key},ou=groups,dc=bench,dc=example\"]\n"
                f"    activity:\n      - {{ source: auditd, key: {key} }}\n")
    f.write("engagements:\n  - id: all\n    members_when: { employeeType: contractor }\n    need_to_know: [k8s-admin, payments]\n")

with open(os.path.join(out, "config.yaml"), "w") as f:
    f.write("state_dir: state\npolicies: policies.yaml\ntimezone: Europe/Amsterdam\n"
            "directory:\n  uri: ldif:directory.ldif\n"
            "  people: { base: \"ou=people,dc=bench,dc=example\", filter: \"(objectClass=inetOrgPerson)\" }\n"
            "  groups: { base: \"ou=groups,dc=bench,dc=example\", filter: \"(objectClass=groupOfNames)\" }\n"
            "  attributes:\n    end_date: { attribute: contractEndDate, format: iso_date }\n"
            "audit_logs:\n  - { path: audit.log, format: auditd }\n")

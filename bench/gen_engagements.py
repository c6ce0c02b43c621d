#!/usr/bin/env python3
"""Generates a small company for bench/daemon_latency.sh: CONTRACTORS seconded contractors
(uid contractor-0 ... contractor-N-1) in four engagements whose need-to-know is the system
`workbench` (granted to all of them through a group) and never the system `target`, which five
employees operate and whose activity is sshd logins on hosts `target-*`. Every contractor's end
date is six months to two years from today, so nothing but a login on `target` opens a finding.

    gen_engagements.py DEST [CONTRACTORS] [TIMEZONE]   (default 200 Europe/Amsterdam)

Writes DEST/directory.ldif, DEST/policies/bench.yaml, DEST/logs/auth.log (one login of
contractor-0 on target-1 a minute ago: the first scan's one alert) and DEST/config.yaml, whose
webhook sink is https://127.0.0.1:PORT/hook with PORT left for the caller to fill in, signed
with DEST/hook-secret and verified against DEST/pki/ca.crt.
"""
import datetime
import random
import secrets
import sys
import time
import zoneinfo
from pathlib import Path

SUFFIX = "dc=bench,dc=example"
ENGAGEMENTS = ["data-platform", "billing-rebuild", "field-app", "network-refresh"]
EMPLOYEES = 5


def syslog_stamp(at, zone):
    """`Mar  6 12:34:56`: traditional syslog time, in the zone the config names."""
    local = datetime.datetime.fromtimestamp(at, zoneinfo.ZoneInfo(zone))
    return f"{local:%b} {local.day:2d} {local:%H:%M:%S}"


def main():
    dest = Path(sys.argv[1])
    contractors = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    zone = sys.argv[3] if len(sys.argv) > 3 else "Europe/Amsterdam"
    rng = random.Random(20260316)
    today = int(time.time() // 86400)  # days since 1970, for shadowExpire
    for folder in ("policies", "logs", "state"):
        (dest / folder).mkdir(parents=True, exist_ok=True)

    with open(dest / "directory.ldif", "w", encoding="utf-8") as out:
        w = out.write
        w(f"dn: {SUFFIX}\nobjectClass: top\nobjectClass: dcObject\nobjectClass: organization\n"
          "dc: bench\no: Bench\n\n")
        for ou in ("people", "groups"):
            w(f"dn: ou={ou},{SUFFIX}\nobjectClass: top\nobjectClass: organizationalUnit\nou: {ou}\n\n")
        people = [(f"employee-{e}", "employee", "operations") for e in range(EMPLOYEES)]
        people += [(f"contractor-{c}", "contractor", ENGAGEMENTS[c % len(ENGAGEMENTS)])
                   for c in range(contractors)]
        for n, (uid, kind, department) in enumerate(people):
            w(f"dn: uid={uid},ou=people,{SUFFIX}\nobjectClass: top\nobjectClass: inetOrgPerson\n"
              f"objectClass: posixAccount\nobjectClass: shadowAccount\n"
              f"uid: {uid}\ncn: {uid}\nsn: {uid}\nmail: {uid}@bench.example\n"
              f"employeeType: {kind}\ndepartmentNumber: {department}\n"
              f"uidNumber: {20000 + n}\ngidNumber: {20000 + n}\nhomeDirectory: /home/{uid}\n")
            if kind == "contractor":
                w(f"o: Agency {n % 3}\nshadowExpire: {today + 180 + rng.randrange(550)}\n")
            w("\n")
        w(f"dn: cn=target-ops,ou=groups,{SUFFIX}\nobjectClass: top\nobjectClass: groupOfNames\n"
          "cn: target-ops\n")
        for e in range(EMPLOYEES):
            w(f"member: uid=employee-{e},ou=people,{SUFFIX}\n")
        w(f"\ndn: cn=workbench-users,ou=groups,{SUFFIX}\nobjectClass: top\n"
          "objectClass: groupOfNames\ncn: workbench-users\n")
        for c in range(contractors):
            w(f"member: uid=contractor-{c},ou=people,{SUFFIX}\n")
        w("\n")

    # Both systems are of low criticality: no single point of knowledge findings, so the only
    # alerts are the logins on target.
    policy = (
        "staff:\n  seconded_when: { employeeType: [contractor] }\n"
        "systems:\n"
        "  - id: target\n    name: Target\n    criticality: low\n"
        f"    groups: [\"cn=target-ops,ou=groups,{SUFFIX}\"]\n"
        "    activity:\n      - { source: sshd, host: \"target-*\" }\n"
        "  - id: workbench\n    name: Workbench\n    criticality: low\n"
        f"    groups: [\"cn=workbench-users,ou=groups,{SUFFIX}\"]\n"
        "engagements:\n" +
        "".join(f"  - id: {e}\n    agency: Agency\n    members_when: {{ departmentNumber: {e} }}\n"
                "    need_to_know: [workbench]\n" for e in ENGAGEMENTS))
    (dest / "policies" / "bench.yaml").write_text(policy, encoding="utf-8")
    (dest / "logs" / "auth.log").write_text(
        f"{syslog_stamp(time.time() - 60, zone)} target-1 sshd[4000]: Accepted publickey for "
        "contractor-0 from 10.0.0.1 port 22 ssh2\n", encoding="utf-8")
    secret = dest / "hook-secret"
    secret.write_text(secrets.token_hex(32) + "\n", encoding="utf-8")
    secret.chmod(0o600)
    (dest / "config.yaml").write_text(
        f"state_dir: state\npolicies: policies\ntimezone: {zone}\n"
        "directory:\n  uri: ldif:directory.ldif\n  flavor: openldap\n"
        f"  people: {{ base: \"ou=people,{SUFFIX}\", filter: \"(objectClass=inetOrgPerson)\" }}\n"
        f"  groups: {{ base: \"ou=groups,{SUFFIX}\", filter: \"(objectClass=groupOfNames)\" }}\n"
        "  attributes:\n    end_date: { attribute: shadowExpire, format: days_since_epoch }\n"
        "audit_logs:\n  - { path: logs/auth.log, format: sshd }\n"
        "alerts:\n  - { type: webhook, url: \"https://127.0.0.1:PORT/hook\", "
        "hmac_secret_file: hook-secret, ca_file: pki/ca.crt }\n",
        encoding="utf-8")


if __name__ == "__main__":
    main()

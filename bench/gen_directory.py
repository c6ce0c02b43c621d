#!/usr/bin/env python3
"""Generates a large directory for bench/ldap_poll.sh: an LDIF export under dc=bench,dc=example
with PEOPLE people, GROUPS groups and MEMBERSHIPS member values (nested groups among them), a
secondsight config and policy using it. Deterministic (fixed seed).

    gen_directory.py DEST [PEOPLE] [GROUPS] [MEMBERSHIPS]   (default 100000 10000 1000000)

Writes DEST/directory.ldif, DEST/policies/bench.yaml and DEST/config.yaml (its directory uri is
ldap://127.0.0.1:PORT with PORT left for the caller to fill in).

The shape, as in a company that size: one person in ten is a contractor, most with an end date
(shadowExpire, days since 1970), some already past it; 100 large groups (departments, all-staff
lists) hold a third of the memberships, the other groups are teams of a few dozen; one team in
five is itself a member of a large group, so rights come through nesting.
"""
import random
import sys
from pathlib import Path

SUFFIX = "dc=bench,dc=example"
NOW_DAYS = 20528  # 2026-03-16, the --now of the benchmark
DEPARTMENTS = ["platform", "payments", "logistics", "data", "support"]


def person_dn(i):
    return f"uid=u{i:06d},ou=people,{SUFFIX}"


def group_dn(i):
    return f"cn=g{i:05d},ou=groups,{SUFFIX}"


def main():
    dest = Path(sys.argv[1])
    people = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    groups = int(sys.argv[3]) if len(sys.argv) > 3 else 10_000
    memberships = int(sys.argv[4]) if len(sys.argv) > 4 else 1_000_000
    rng = random.Random(20260316)
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "policies").mkdir(exist_ok=True)

    large = min(100, groups // 10)
    nested = [g for g in range(large, groups) if g % 5 == 0]  # teams inside a large group
    # Person members: a third in the large groups, the rest spread over the teams.
    person_slots = memberships - len(nested)
    large_share = person_slots // 3
    members = [[] for _ in range(groups)]
    for g in range(large):
        count = large_share // large
        members[g] = [person_dn(p) for p in rng.sample(range(people), min(count, people))]
    rest = person_slots - sum(len(m) for m in members)
    teams = groups - large
    for t in range(teams):
        g = large + t
        count = rest // teams + (1 if t < rest % teams else 0)
        members[g] = [person_dn(p) for p in rng.sample(range(people), min(count, people))]
    for g in nested:
        members[rng.randrange(large)].append(group_dn(g))

    with open(dest / "directory.ldif", "w", encoding="utf-8") as out:
        w = out.write
        w(f"dn: {SUFFIX}\nobjectClass: top\nobjectClass: dcObject\nobjectClass: organization\n"
          "dc: bench\no: Bench\n\n")
        for ou in ("people", "groups"):
            w(f"dn: ou={ou},{SUFFIX}\nobjectClass: top\nobjectClass: organizationalUnit\nou: {ou}\n\n")
        for p in range(people):
            contractor = p % 10 == 3
            uid = f"u{p:06d}"
            dept = DEPARTMENTS[p % len(DEPARTMENTS)]
            w(f"dn: {person_dn(p)}\nobjectClass: top\nobjectClass: inetOrgPerson\n"
              f"objectClass: posixAccount\nobjectClass: shadowAccount\n"
              f"uid: {uid}\ncn: Person {p}\nsn: {p}\ngivenName: Person\n"
              f"mail: {uid}@bench.example\n"
              f"employeeType: {'contractor' if contractor else 'employee'}\n"
              f"departmentNumber: {dept}\n"
              f"uidNumber: {10000 + p}\ngidNumber: {10000 + p}\nhomeDirectory: /home/{uid}\n")
            if contractor:
                w(f"o: Agency {p % 7}\n")
                if p % 100 != 3:  # one contractor in ten has no end date
                    # most end in the next two years, one in fifty ended last month
                    end = NOW_DAYS - 20 if p % 500 == 13 else NOW_DAYS + 40 + rng.randrange(700)
                    w(f"shadowExpire: {end}\n")
                if p % 1000 == 23:
                    w("pwdAccountLockedTime: 20260101000000Z\n")
            w("\n")
        for g in range(groups):
            w(f"dn: {group_dn(g)}\nobjectClass: top\nobjectClass: groupOfNames\ncn: g{g:05d}\n")
            if not members[g]:
                members[g] = [person_dn(0)]
            for m in members[g]:
                w(f"member: {m}\n")
            w("\n")

    systems = []
    for s in range(8):
        g = s * (large // 8) if large >= 8 else s
        systems.append(
            f"  - id: system-{s}\n    name: System {s}\n    criticality: {'critical' if s < 2 else 'high'}\n"
            f"    externals: {'deny' if s == 7 else 'allow'}\n"
            f"    groups: [\"{group_dn(g)}\", \"{group_dn(large + s * 5)}\"]\n")
    policy = (
        "defaults:\n  notice_days: 30\n"
        "staff:\n  seconded_when: { employeeType: [contractor] }\n"
        "systems:\n" + "".join(systems) +
        "engagements:\n" +
        "".join(f"  - id: {d}\n    agency: Agency\n    members_when: {{ departmentNumber: {d} }}\n"
                f"    need_to_know: [system-{i}, system-{i + 1}, system-{i + 2}]\n"
                for i, d in enumerate(DEPARTMENTS)))
    (dest / "policies" / "bench.yaml").write_text(policy, encoding="utf-8")
    (dest / "config.yaml").write_text(
        "state_dir: state\npolicies: policies\ntimezone: Europe/Amsterdam\n"
        "directory:\n  uri: ldap://127.0.0.1:PORT\n  flavor: openldap\n"
        f"  people: {{ base: \"ou=people,{SUFFIX}\", filter: \"(objectClass=inetOrgPerson)\" }}\n"
        f"  groups: {{ base: \"ou=groups,{SUFFIX}\", filter: \"(objectClass=groupOfNames)\" }}\n"
        "  attributes:\n    end_date: { attribute: shadowExpire, format: days_since_epoch }\n"
        "  page_size: 500\n  timeout: 60s\n",
        encoding="utf-8")
    total = sum(len(m) for m in members)
    print(f"{people} people, {groups} groups, {total} memberships "
          f"({len(nested)} of them groups in groups)", file=sys.stderr)


if __name__ == "__main__":
    main()

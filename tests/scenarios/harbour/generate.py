#!/usr/bin/env python3
"""generate.py: writes Harbour Utilities' directory export, logs and git histories.

    python3 tests/scenarios/harbour/generate.py

directory.ldif, logs/*.log, logs/platform.jsonl and repos/*.fi are written from the tables
below, the same bytes on every run (a fixed random seed). They are kept in the repository;
run this again after changing a table, then update expected-findings.jsonl and README.md by
reasoning from the definitions, and check them with compare_findings.py.
"""
import base64
import datetime as dt
import os
import random
from zoneinfo import ZoneInfo

HERE = os.path.dirname(os.path.abspath(__file__))
ZONE = ZoneInfo("Europe/Amsterdam")
UTC = dt.timezone.utc
BASE = "dc=harbour,dc=example"
PEOPLE = "ou=people," + BASE
GROUPS = "ou=groups," + BASE
PROJECT_GROUPS = "ou=project-groups," + GROUPS


def utc(text):
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def days(first, last, step, at):
    """Instants at local time `at` (HH:MM) every `step` days from `first` to `last` (dates)."""
    out = []
    day = dt.date.fromisoformat(first)
    end = dt.date.fromisoformat(last)
    hour, minute = (int(x) for x in at.split(":"))
    while day <= end:
        local = dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZONE)
        out.append(local.astimezone(UTC))
        day += dt.timedelta(days=step)
    return out


def local_at(date, at):
    hour, minute = (int(x) for x in at.split(":"))
    d = dt.date.fromisoformat(date)
    return dt.datetime(d.year, d.month, d.day, hour, minute, tzinfo=ZONE).astimezone(UTC)


# ---------------------------------------------------------------------------------------------
# People: (uid, cn, sn, givenName, employeeType, departmentNumber, uidNumber, extra attributes)

EMPLOYEES = [
    ("marit", "Marit Hoekstra", "Hoekstra", "Marit", "operations", 3101, {}),
    ("joost", "Joost Brouwer", "Brouwer", "Joost", "platform", 3102,
     {"mail2": "jbrouwer@posteo.example"}),
    ("sanne", "Sanne Kok", "Kok", "Sanne", "customer-service", 3103, {}),
    ("wouter", "Wouter Prins", "Prins", "Wouter", "infrastructure", 3104, {}),
    ("lotte", "Lotte Willems", "Willems", "Lotte", "billing", 3105, {}),
    ("thijs", "Thijs Koster", "Koster", "Thijs", "security", 3106, {}),
]

# uid, cn, sn, givenName, type, department, uidNumber, agency, manager, end, extra
SECONDED = [
    ("bram", "Bram Verhoef", "Verhoef", "Bram", "contractor", "meter-modernisation", 4201,
     "Tideway Consulting", "lotte", "2026-04-30", {}),
    ("femke", "Femke de Graaf", "de Graaf", "Femke", "contractor", "network-renewal", 4202,
     "Kade IT", "wouter", "2026-06-05", {}),
    ("noor", "Noor El Amrani", "El Amrani", "Noor", "contractor", "meter-modernisation", 4203,
     "Tideway Consulting", "lotte", "2026-11-30", {}),
    ("daan", "Daan Mertens", "Mertens", "Daan", "contractor", "meter-modernisation", 4204,
     "Tideway Consulting", "lotte", None, {}),
    ("yara", "Yara Schouten", "Schouten", "Yara", "interim", "field-services", 4205,
     "Kade IT", "marit", "2026-12-31", {}),
    ("milan", "Milan Jacobs", "Jacobs", "Milan", "contractor", "network-renewal", 4206,
     "Kade IT", "wouter", "2026-09-30", {}),
    ("ravi", "Ravi Ramdin", "Ramdin", "Ravi", "contractor", "network-renewal", 4207,
     "Kade IT", "wouter", "2026-04-24", {"locked": "20260424220500Z"}),
    ("ilse", "Ilse Postma", "Postma", "Ilse", "contractor", "meter-modernisation", 4208,
     "Tideway Consulting", "lotte", "2026-05-29", {}),
    ("tim", "Tim Claassen", "Claassen", "Tim", "interim", "meter-modernisation", 4209,
     "Tideway Consulting", "lotte", "2026-06-10", {}),
    ("eliska", "Eli\u0161ka Nov\u00e1kov\u00e1", "Nov\u00e1kov\u00e1", "Eli\u0161ka", "contractor",
     "leak-analytics", 4210, "Polder Data", "wouter", "2026-06-12", {}),
    ("hamza", "Hamza Yilmaz", "Yilmaz", "Hamza", "contractor", "leak-analytics", 4211,
     "Polder Data", "wouter", "2026-10-31", {}),
]

UID_NUMBER = {p[0]: p[5] for p in EMPLOYEES}
UID_NUMBER.update({p[0]: p[6] for p in SECONDED})


def person_dn(uid):
    return "uid=%s,%s" % (uid, PEOPLE)


def group_dn(cn, ou=GROUPS):
    return "cn=%s,%s" % (cn, ou)


# (cn, parent ou, description, members: uids or ("group", dn))
GROUP_TABLE = [
    ("everyone", GROUPS, "Everyone with a Harbour Utilities account",
     [p[0] for p in EMPLOYEES] + [p[0] for p in SECONDED if p[0] != "ravi"]),
    ("billing-dev", GROUPS, "Developers of the meter billing engine",
     ["lotte", ("group", group_dn("billing-contractors"))]),
    ("billing-contractors", GROUPS, None, ["bram", "noor", "ilse", "tim"]),
    ("telemetry-admins", GROUPS, "Administrators of the pumping station telemetry",
     ["joost", "femke", "milan", "yara"]),
    ("crm-readers", GROUPS, "May read customer records (personal data)",
     ["sanne", "thijs", "noor"]),
    ("netops", GROUPS, None, ["wouter", "femke"]),
    ("gis-ops", GROUPS, None, ["joost", "hamza", "eliska"]),
    ("outage-desk", GROUPS, None, ["lotte", "marit"]),
    ("leak-detection-analysts", PROJECT_GROUPS,
     "Analysts and engineers of the leak detection models (project group)", ["eliska", "wouter"]),
]


def ldif_value(name, value):
    """name: value, or name:: base64 where RFC 2849 requires it; folded at 76 columns."""
    safe = value.isascii() and not value.startswith((" ", ":", "<")) and not value.endswith(" ")
    line = "%s: %s" % (name, value) if safe else "%s:: %s" % (
        name, base64.b64encode(value.encode()).decode())
    out = [line[:76]]
    rest = line[76:]
    while rest:
        out.append(" " + rest[:75])
        rest = rest[75:]
    return "\n".join(out) + "\n"


def comment_for(dn):
    # ldapsearch -L names each entry by its RDN values, then the domain.
    parts = [p.split("=", 1)[1] for p in dn.split(",")]
    dcs = [p.split("=", 1)[1] for p in dn.split(",") if p.startswith("dc=")]
    names = parts[:len(parts) - len(dcs)]
    return "# " + ", ".join(names + [".".join(dcs)]) + "\n"


def write_directory():
    out = ["version: 1\n\n#\n# LDAPv3\n# base <%s> with scope subtree\n" % BASE,
           "# filter: (objectclass=*)\n# requesting: * pwdAccountLockedTime\n#\n\n"]

    def entry(dn, attributes):
        text = comment_for(dn) if dn != BASE else "# harbour.example\n"
        text += ldif_value("dn", dn)
        for name, value in attributes:
            text += ldif_value(name, value)
        out.append(text + "\n")

    entry(BASE, [("objectClass", "top"), ("objectClass", "dcObject"),
                 ("objectClass", "organization"), ("o", "Harbour Utilities"), ("dc", "harbour")])
    for ou, dn in (("people", PEOPLE), ("groups", GROUPS), ("project-groups", PROJECT_GROUPS)):
        entry(dn, [("objectClass", "organizationalUnit"), ("ou", ou)])

    def account(uid, cn, sn, given, kind, department, number):
        return [("objectClass", "top"), ("objectClass", "inetOrgPerson"),
                ("objectClass", "posixAccount"), ("objectClass", "harbourEngagement"),
                ("uid", uid), ("cn", cn), ("sn", sn), ("givenName", given),
                ("mail", uid + "@harbour.example")]

    for uid, cn, sn, given, department, number, extra in EMPLOYEES:
        attributes = account(uid, cn, sn, given, "employee", department, number)
        if "mail2" in extra:
            attributes.append(("mail", extra["mail2"]))
        attributes += [("employeeType", "employee"), ("departmentNumber", department),
                       ("uidNumber", str(number)), ("gidNumber", str(number)),
                       ("homeDirectory", "/home/" + uid), ("loginShell", "/bin/bash")]
        entry(person_dn(uid), attributes)
    for uid, cn, sn, given, kind, department, number, agency, manager, end, extra in SECONDED:
        attributes = account(uid, cn, sn, given, kind, department, number)
        attributes += [("employeeType", kind), ("departmentNumber", department),
                       ("uidNumber", str(number)), ("gidNumber", str(number)),
                       ("homeDirectory", "/home/" + uid), ("loginShell", "/bin/bash"),
                       ("o", agency), ("manager", person_dn(manager))]
        if end:
            attributes.append(("contractEndDate", end))
        if "locked" in extra:
            attributes.append(("pwdAccountLockedTime", extra["locked"]))
        entry(person_dn(uid), attributes)
    for cn, ou, description, members in GROUP_TABLE:
        attributes = [("objectClass", "top"), ("objectClass", "groupOfNames"), ("cn", cn)]
        if description:
            attributes.append(("description", description))
        for member in members:
            attributes.append(("member", member[1] if isinstance(member, tuple) else
                               person_dn(member)))
        entry(group_dn(cn, ou), attributes)
    with open(os.path.join(HERE, "directory.ldif"), "w", encoding="utf-8") as f:
        f.write("".join(out))


# ---------------------------------------------------------------------------------------------
# Logs. Times are UTC instants; syslog stamps are written in local time, as the hosts do.

NOW = utc("2026-05-18T09:00:00Z")
RNG = random.Random(20260518)


def ssh_logins():
    """(instant, host, user) of every accepted sshd login."""
    out = []
    out += [(t, "tlm-1", "joost") for t in days("2025-12-08", "2026-05-17", 2, "08:30")]
    out += [(local_at(d, "14:10"), "gis-2", "joost")
            for d in ("2026-04-14", "2026-04-22", "2026-04-29", "2026-05-06", "2026-05-13")]
    out += [(t, "tlm-1", "ravi") for t in days("2025-12-10", "2026-04-20", 10, "09:15")]
    out.append((local_at("2026-04-24", "23:40"), "tlm-1", "ravi"))  # late on his last day
    out += [(local_at(d, at), "tlm-2", "milan") for d, at in
            (("2026-01-19", "10:00"), ("2026-03-02", "10:00"), ("2026-03-05", "10:00"),
             ("2026-03-09", "16:20"))]
    out.append((local_at("2026-05-05", "07:55"), "tlm-1", "yara"))
    out += [(local_at(d, at), "bill-2", "bram") for d, at in
            (("2026-01-14", "11:00"), ("2026-03-03", "11:00"), ("2026-05-06", "19:45"))]
    out.append((local_at("2026-05-11", "08:40"), "jump-2", "bram"))
    out.append((local_at("2026-04-21", "15:15"), "bill-1", "hamza"))
    out += [(t, "gis-1", "hamza") for t in days("2026-04-10", "2026-05-16", 3, "09:05")]
    out += [(local_at(d, "10:30"), "bill-1", "tim")
            for d in ("2026-02-10", "2026-03-17", "2026-04-14", "2026-05-12")]
    out += [(local_at(d, "07:50"), "jump-1", "lotte") for d in ("2026-02-02", "2026-04-07")]
    return sorted(out)


def syslog_stamp(instant):
    local = instant.astimezone(ZONE)
    return "%s %2d %s" % (local.strftime("%b"), local.day, local.strftime("%H:%M:%S"))


def fingerprint():
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    return "".join(RNG.choice(alphabet) for _ in range(43))


def write_auth_log():
    lines = []  # (instant, text)
    for t, host, user in ssh_logins():
        pid = RNG.randint(1000, 99999)
        ip = "10.20.%d.%d" % (RNG.randint(0, 9), RNG.randint(2, 250))
        lines.append((t, "%s %s sshd[%d]: Accepted publickey for %s from %s port %d ssh2: "
                      "ED25519 SHA256:%s" % (syslog_stamp(t), host, pid, user, ip,
                                              RNG.randint(40000, 65000), fingerprint())))
        t2 = t + dt.timedelta(seconds=1)
        lines.append((t2, "%s %s sshd[%d]: pam_unix(sshd:session): session opened for user "
                      "%s(uid=%d) by (uid=0)" % (syslog_stamp(t2), host, pid, user,
                                                  UID_NUMBER[user])))
    for t in days("2025-12-03", "2026-05-15", 11, "03:17"):
        lines.append((t, "%s bill-1 sshd[%d]: Failed password for invalid user admin from "
                      "198.51.100.%d port %d ssh2" % (syslog_stamp(t), RNG.randint(1000, 99999),
                                                     RNG.randint(2, 250),
                                                     RNG.randint(40000, 65000))))
    t = local_at("2026-02-16", "06:25")
    lines.append((t, "%s tlm-1 CRON[%d]: pam_unix(cron:session): session opened for user root"
                  "(uid=0) by (uid=0)" % (syslog_stamp(t), RNG.randint(1000, 99999))))
    lines.sort(key=lambda line: line[0])
    texts = [text for _, text in lines]
    # Two writes run together, as after a crash of the logger: neither is a login.
    at = next(i for i, text in enumerate(texts) if text.startswith("Feb 18") and "Failed" in text)
    texts[at] = texts[at][:11] + texts[at]
    with open(os.path.join(HERE, "logs", "auth.log"), "w") as f:
        f.write("\n".join(texts) + "\n")


def audit_time(instant, serial):
    return "audit(%d.%03d:%d)" % (int(instant.timestamp()), RNG.randint(0, 999), serial)


def write_audit_log():
    events = []  # (instant, kind, data)
    events += [(t, "login", ("ops-2", "joost"))
               for t in days("2025-12-09", "2026-05-12", 7, "09:00")]
    for t in days("2025-12-11", "2026-05-15", 6, "10:20"):
        events.append((t, "login", ("ops-2", "femke")))
        events.append((t + dt.timedelta(minutes=2), "syscall",
                       ("ops-2", "femke", "tlmctl", "/usr/local/bin/tlmctl",
                        "telemetry-admin", "/etc/telemetry/stations.conf", False)))
    events.append((local_at("2026-05-03", "04:00"), "timer",
                   ("ops-2", "ravi", "tlm-export", "/usr/local/bin/tlm-export",
                    "telemetry-admin", "/etc/telemetry/stations.conf")))
    for i, t in enumerate(days("2026-04-11", "2026-05-16", 7, "11:30")):
        events.append((t, "syscall", ("gis-1", "hamza", "ogr2ogr", "/usr/bin/ogr2ogr", "gis-edit",
                                      "/srv/gis/network.gpkg", i == 2)))
    events.append((local_at("2026-04-20", "03:00"), "timer",
                   ("gis-1", None, "gis-import", "/usr/local/bin/gis-import", "gis-edit",
                    "/srv/gis/network.gpkg")))
    events += [(t, "service", "ops-2") for t in days("2025-12-06", "2026-05-16", 5, "02:05")]
    events.append((local_at("2026-03-12", "13:13"), "avc", "ops-2"))
    events.sort(key=lambda e: e[0])

    lines = []
    serial = 5000
    for t, kind, data in events:
        serial += 1
        stamp = audit_time(t, serial)
        pid = RNG.randint(1000, 60000)
        if kind == "login":
            node, user = data
            uid = UID_NUMBER[user]
            lines.append("node=%s type=USER_LOGIN msg=%s: pid=%d uid=0 auid=%d ses=%d "
                         "subj=unconfined msg='op=login id=%d exe=\"/usr/sbin/sshd\" "
                         "hostname=10.20.4.%d addr=10.20.4.%d terminal=/dev/pts/0 res=success'"
                         % (node, stamp, pid, uid, RNG.randint(10, 400), uid,
                            RNG.randint(2, 250), RNG.randint(2, 250)))
        elif kind in ("syscall", "timer"):
            if kind == "syscall":
                node, user, comm, exe, key, path, enriched = data
                uid = auid = UID_NUMBER[user]
                tty, ses, cwd = "pts0", str(RNG.randint(10, 400)), "/home/" + user
            else:
                node, user, comm, exe, key, path = data
                enriched = False
                uid, auid = (UID_NUMBER[user] if user else 0), 4294967295
                tty, ses, cwd = "(none)", "4294967295", "/"
            text = ("node=%s type=SYSCALL msg=%s: arch=c000003e syscall=257 success=yes exit=3 "
                    "a0=ffffff9c a1=7ffc3e1d2a40 a2=0 a3=0 items=1 ppid=%d pid=%d auid=%d uid=%d "
                    "gid=%d euid=%d suid=%d fsuid=%d egid=%d sgid=%d fsgid=%d tty=%s ses=%s "
                    "comm=\"%s\" exe=\"%s\" subj=unconfined key=\"%s\""
                    % (node, stamp, pid - 1, pid, auid, uid, uid, uid, uid, uid, uid, uid, uid,
                       tty, ses, comm, exe, key))
            if enriched:
                text += "\x1dARCH=x86_64 SYSCALL=openat AUID=\"%s\" UID=\"%s\" GID=\"%s\"" % (
                    user, user, user)
            lines.append(text)
            lines.append("node=%s type=CWD msg=%s: cwd=\"%s\"" % (node, stamp, cwd))
            lines.append("node=%s type=PATH msg=%s: item=0 name=\"%s\" inode=%d dev=fd:01 "
                         "mode=0100640 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 "
                         "cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0"
                         % (node, stamp, path, RNG.randint(100000, 999999)))
            lines.append("node=%s type=PROCTITLE msg=%s: proctitle=%s"
                         % (node, stamp, (comm + "\0" + path).encode().hex().upper()))
        elif kind == "service":
            lines.append("node=%s type=SERVICE_START msg=%s: pid=1 uid=0 auid=4294967295 "
                         "ses=4294967295 subj=unconfined msg='unit=logrotate comm=\"systemd\" "
                         "exe=\"/usr/lib/systemd/systemd\" hostname=? addr=? terminal=? "
                         "res=success'" % (data, stamp))
        elif kind == "avc":
            lines.append("node=%s type=AVC msg=%s: apparmor=\"DENIED\" operation=\"open\" "
                         "profile=\"/usr/sbin/chronyd\" name=\"/etc/telemetry/stations.conf\" "
                         "pid=%d comm=\"chronyd\" requested_mask=\"r\" denied_mask=\"r\" "
                         "fsuid=0 ouid=0" % (data, stamp, pid))
    # A record cut off when the disk filled: damage. The records of its event that follow make
    # no event of their own.
    at = next(i for i, line in enumerate(lines)
              if "type=SYSCALL" in line and "tlmctl" in line and "audit(1767" in line)
    lines[at] = lines[at][:lines[at].index("audit(") + 10]
    with open(os.path.join(HERE, "logs", "audit.log"), "w") as f:
        f.write("\n".join(lines) + "\n")


def write_platform_log():
    events = []  # (instant, actor, host, action, resource)
    events += [(t, "svc-deploy", "ci-2", "deploy", "leak-detection")
               for t in days("2025-12-08", "2026-05-11", 7, "05:30")]
    events += [(t, "svc-backup", "backup-1", "git.clone", "billing-engine")
               for t in days("2025-12-07", "2026-05-17", 7, "03:00")]
    events += [(t, "sanne", "crm-1", "record.view", "crm")
               for t in days("2025-12-01", "2026-05-16", 4, "09:10")]
    events += [(t, "thijs", "crm-1", "record.audit", "crm")
               for t in days("2025-12-04", "2026-05-14", 9, "14:00")]
    events += [(t, "lotte", "git-2", "git.push", "billing-engine")
               for t in days("2025-12-02", "2026-05-15", 3, "10:05")]
    events += [(t, "lotte", "map-1", "map.update", "outage-map")
               for t in days("2025-12-05", "2026-05-15", 5, "16:40")]
    events += [(local_at(d, "12:00"), "marit", "map-1", "map.view", "outage-map")
               for d in ("2026-03-10", "2026-04-28")]
    events += [(t, "ilse", "git-2", "git.push", "billing-engine")
               for t in days("2025-12-03", "2026-05-15", 4, "13:20")]
    events += [(t, "tim", "git-2", "git.push", "billing-engine")
               for t in days("2026-01-06", "2026-05-14", 5, "15:45")]
    events += [(t, "noor", "git-2", "git.push", "billing-engine")
               for t in days("2025-12-10", "2026-05-13", 6, "11:10")]
    for i, t in enumerate(days("2025-12-04", "2026-04-29", 4, "09:50")):
        events.append((t, "bram@harbour.example" if i % 3 == 0 else "bram", "git-2", "git.push",
                       "billing-engine"))
    # bram kept working after his contract ended on 2026-04-30.
    events += [(local_at(d, at), "bram@harbour.example", "git-2", "git.push", "billing-engine")
               for d, at in (("2026-05-04", "10:15"), ("2026-05-07", "17:30"),
                             ("2026-05-12", "21:05"))]
    events += [(t, "femke", "git-2", "git.push", "netconfig")
               for t in days("2025-12-12", "2026-05-15", 5, "11:45")]
    events += [(local_at(d, "15:00"), "wouter", "git-2", "git.push", "netconfig")
               for d in ("2026-03-24", "2026-04-30")]
    events.sort(key=lambda e: e[0])
    lines = ['{"ts": "%s", "actor": "%s", "host": "%s", "action": "%s", "resource": "%s"}'
             % (t.strftime("%Y-%m-%dT%H:%M:%SZ"), actor, host, action, resource)
             for t, actor, host, action, resource in events]
    # A line cut off by a full disk, in the middle of the file: damage, and the next line is read.
    at = next(i for i, line in enumerate(lines) if line.startswith('{"ts": "2026-02-1'))
    lines[at] = lines[at][:lines[at].index('"action"') + 15]
    with open(os.path.join(HERE, "logs", "platform.jsonl"), "w") as f:
        f.write("\n".join(lines) + "\n")


# ---------------------------------------------------------------------------------------------
# Git histories, as `git fast-import` streams. Each file's content grows by one line per change,
# so a move without an edit is a 100% rename.

ELISKA = ("Eli\u0161ka Nov\u00e1kov\u00e1", "eliska@harbour.example")
WOUTER = ("Wouter Prins", "wouter@harbour.example")
HAMZA = ("Hamza Yilmaz", "hamza@harbour.example")
FEMKE = ("Femke de Graaf", "femke@harbour.example")
JOOST = ("Joost Brouwer", "joost@harbour.example")
JOOST_HOME = ("J. Brouwer", "jbrouwer@posteo.example")
LOTTE = ("Lotte Willems", "lotte@harbour.example")
BRAM = ("Bram Verhoef", "bram@harbour.example")
ILSE = ("Ilse Postma", "ilse@harbour.example")
TIM = ("Tim Claassen", "tim@harbour.example")
NOOR = ("Noor El Amrani", "noor@harbour.example")
PIETER = ("Pieter Smeets", "pieter@harbour.example")
PIETER_OLD = ("pieter smeets", "p.smeets@waterbedrijf-haven.example")


def comment(path, text):
    if path.endswith((".go",)):
        return "// " + text
    if path.endswith(".md"):
        return "- " + text
    if path.endswith(".ini"):
        return "; " + text
    return "# " + text


class Stream:
    def __init__(self):
        self.out = []
        self.mark = 0
        self.files = {}  # branch -> {path: [lines]}
        self.heads = {}  # branch -> mark

    def data(self, text):
        raw = text.encode()
        self.out.append(b"data %d\n" % len(raw) + raw + b"\n")

    def commit(self, branch, who, when, message, ops, merge=None, files=None):
        name, email = who
        local = dt.datetime.fromisoformat(when).replace(tzinfo=ZONE)
        offset = local.strftime("%z")
        stamp = "%d %s" % (int(local.timestamp()), offset)
        self.mark += 1
        head = ("commit refs/heads/%s\nmark :%d\nauthor %s <%s> %s\ncommitter %s <%s> %s\n"
                % (branch, self.mark, name, email, stamp, name, email, stamp))
        self.out.append(head.encode())
        self.data(message + "\n")
        if branch not in self.heads and files is not None:
            self.out.append(b"from :%d\n" % self.heads[files])
        if merge:
            self.out.append(b"merge :%d\n" % self.heads[merge])
        tree = self.files.setdefault(
            branch, {path: list(lines) for path, lines in self.files.get(files, {}).items()})
        for op in ops:
            if op[0] == "M":
                path = op[1]
                lines = tree.setdefault(path, [comment(path, "%s, part of Harbour Utilities"
                                                       % path)])
                lines.append(comment(path, op[2] if len(op) > 2 else
                                     "%s: change %d" % (name, len(lines))))
                self.out.append(("M 100644 inline %s\n" % path).encode())
                self.data("\n".join(lines) + "\n")
            elif op[0] == "W":  # write given lines (a merge's result)
                tree[op[1]] = list(op[2])
                self.out.append(("M 100644 inline %s\n" % op[1]).encode())
                self.data("\n".join(op[2]) + "\n")
            elif op[0] == "D":
                del tree[op[1]]
                self.out.append(("D %s\n" % op[1]).encode())
            elif op[0] == "R":
                tree[op[2]] = tree.pop(op[1])
                self.out.append(("R %s %s\n" % (op[1], op[2])).encode())
        self.out.append(b"\n")
        self.heads[branch] = self.mark

    def write(self, name):
        with open(os.path.join(HERE, "repos", name + ".fi"), "wb") as f:
            f.write(b"".join(self.out))


def leak_detection():
    """Eliška wrote the leak detection models alone. Wouter vendored a library, moved her model,
    merged her branch, made small fixes and wrote an old threshold detector that is deleted;
    Hamza made one small fix. None of that makes either an author."""
    s = Stream()
    m = "main"
    s.commit(m, WOUTER, "2025-08-18T10:00", "Threshold detector for night flow",
             [("M", "detector/legacy_threshold.py")])
    s.commit(m, WOUTER, "2025-08-20T15:30", "Vendor pyflow 0.9 (hydraulic network solver)",
             [("M", "vendor/pyflow/LICENSE"), ("M", "vendor/pyflow/__init__.py"),
              ("M", "vendor/pyflow/hydraulics.py")])
    s.commit(m, WOUTER, "2025-09-02T09:10", "Threshold detector: weekend profile",
             [("M", "detector/legacy_threshold.py")])
    s.commit(m, ELISKA, "2025-09-15T11:00", "Anomaly model on district meter areas",
             [("M", "detector/anomaly.py")])
    s.commit(m, ELISKA, "2025-09-17T14:20", "Pressure features",
             [("M", "detector/pressure.py")])
    s.commit(m, ELISKA, "2025-09-18T09:45", "README", [("M", "README.md")])
    s.commit(m, ELISKA, "2025-09-24T16:00", "Anomaly model: seasonal baseline",
             [("M", "detector/anomaly.py")])
    s.commit(m, ELISKA, "2025-10-01T10:30", "Scoring service", [("M", "detector/service.py")])
    s.commit(m, ELISKA, "2025-10-02T13:00", "Model design notes", [("M", "docs/model.md")])
    s.commit(m, ELISKA, "2025-10-08T10:10", "Project metadata", [("M", "pyproject.toml")])
    s.commit(m, ELISKA, "2025-10-14T15:40", "Anomaly model: rain correction",
             [("M", "detector/anomaly.py")])
    s.commit(m, ELISKA, "2025-10-21T11:25", "Service: batch scoring",
             [("M", "detector/service.py")])
    s.commit("night-flow", ELISKA, "2025-10-28T09:30", "Night flow model",
             [("M", "detector/night_flow.py")], files=m)
    s.commit("night-flow", ELISKA, "2025-10-29T14:00", "Anomaly model uses the night flow",
             [("M", "detector/anomaly.py")])
    s.commit(m, WOUTER, "2025-10-30T08:50", "Move the anomaly model to detector/models",
             [("R", "detector/anomaly.py", "detector/models/anomaly.py")])
    merged = s.files[m]["detector/models/anomaly.py"] + [
        s.files["night-flow"]["detector/anomaly.py"][-1]]
    s.commit(m, WOUTER, "2025-11-03T10:00", "Merge branch 'night-flow'",
             [("W", "detector/models/anomaly.py", merged),
              ("W", "detector/night_flow.py", s.files["night-flow"]["detector/night_flow.py"])],
             merge="night-flow")
    s.commit(m, ELISKA, "2025-11-12T10:00", "Service: retry on timeouts",
             [("M", "detector/service.py")])
    s.commit(m, WOUTER, "2025-11-19T17:05", "Service: fix the port",
             [("M", "detector/service.py", "port 8443")])
    s.commit(m, HAMZA, "2025-12-02T12:30", "Pressure: read the GIS zone ids",
             [("M", "detector/pressure.py", "zone ids from the GIS export")])
    s.commit(m, WOUTER, "2025-12-09T09:15", "Pressure: typo",
             [("M", "detector/pressure.py", "typo")])
    s.commit(m, ELISKA, "2025-12-16T15:00", "Anomaly model: holiday calendar",
             [("M", "detector/models/anomaly.py")])
    s.commit(m, WOUTER, "2026-01-07T11:00", "Service: log level",
             [("M", "detector/service.py", "log level info")])
    s.commit(m, WOUTER, "2026-01-20T10:00", "Remove the threshold detector",
             [("D", "detector/legacy_threshold.py")])
    s.commit(m, ELISKA, "2026-02-04T10:40", "Design notes: the night flow model",
             [("M", "docs/model.md")])
    s.commit(m, ELISKA, "2026-02-18T14:10", "Anomaly model: sensor drift",
             [("M", "detector/models/anomaly.py")])
    s.commit(m, ELISKA, "2026-03-11T09:00", "README: how to retrain", [("M", "README.md")])
    s.commit(m, ELISKA, "2026-04-01T16:30", "Night flow: minimum night window",
             [("M", "detector/night_flow.py")])
    s.write("leak-detection")


def netconfig():
    """Femke alone wrote the network configuration."""
    s = Stream()
    m = "main"
    plan = [
        ("2025-11-04T10:00", "Inventory of the pumping stations", "inventory/production.ini"),
        ("2025-11-05T14:00", "Site playbook", "site.yml"),
        ("2025-11-11T09:30", "VLAN plan module", "library/vlan_plan.py"),
        ("2025-11-12T16:10", "Push script", "scripts/push_config.sh"),
        ("2025-11-19T11:00", "Runbook", "docs/README.md"),
        ("2025-12-03T10:20", "VLAN plan: station uplinks", "library/vlan_plan.py"),
        ("2026-01-14T13:40", "Site playbook: firewall role", "site.yml"),
        ("2026-02-11T10:00", "Push script: dry run", "scripts/push_config.sh"),
        ("2026-03-18T15:15", "Inventory: new stations in the north", "inventory/production.ini"),
        ("2026-04-22T09:50", "Runbook: rollback", "docs/README.md"),
    ]
    for when, message, path in plan:
        s.commit(m, FEMKE, when, message, [("M", path)])
    s.write("netconfig")


def billing_engine():
    """Several authors, one of whom (Pieter) left long ago and two of whom (Bram, Tim) leave
    without a handover that counts."""
    s = Stream()
    m = "main"
    s.commit(m, PIETER_OLD, "2023-03-06T10:00", "Tariff tables", [("M", "billing/tariffs.py")])
    s.commit(m, PIETER, "2023-04-17T11:30", "Legacy export for the old ledger",
             [("M", "billing/legacy_export.py")])
    s.commit(m, PIETER, "2023-09-12T09:00", "Tariffs 2024", [("M", "billing/tariffs.py")])
    s.commit(m, LOTTE, "2024-02-05T10:00", "Invoice generation", [("M", "billing/invoice.py")])
    s.commit(m, LOTTE, "2024-02-12T14:30", "Ledger", [("M", "billing/ledger.py")])
    s.commit(m, LOTTE, "2024-02-13T09:00", "README", [("M", "README.md")])
    s.commit(m, LOTTE, "2024-03-04T15:00", "Operations runbook", [("M", "docs/runbook.md")])
    s.commit(m, BRAM, "2025-06-02T10:00", "Meter reads import", [("M", "billing/meter_reads.py")])
    s.commit(m, BRAM, "2025-06-10T13:15", "Smart meter intervals",
             [("M", "billing/smart_meter.py")])
    s.commit(m, ILSE, "2025-06-16T09:40", "Dunning runs", [("M", "billing/dunning.py")])
    s.commit(m, ILSE, "2025-06-23T11:20", "HTTP routes", [("M", "api/routes.py")])
    s.commit(m, TIM, "2025-07-01T10:05", "VAT rules", [("M", "billing/vat.py")])
    s.commit(m, BRAM, "2025-07-14T16:00", "Meter reads: estimated reads",
             [("M", "billing/meter_reads.py")])
    s.commit(m, NOOR, "2025-08-04T10:30", "Invoice: smart meter lines",
             [("M", "billing/invoice.py")])
    s.commit(m, LOTTE, "2025-09-01T09:00", "Ledger: monthly close", [("M", "billing/ledger.py")])
    s.commit(m, ILSE, "2025-09-15T14:00", "Routes: payment plans", [("M", "api/routes.py")])
    s.commit(m, TIM, "2025-10-06T10:45", "VAT 2026", [("M", "billing/vat.py")])
    s.commit(m, BRAM, "2025-11-10T11:00", "Smart meter: gaps", [("M", "billing/smart_meter.py")])
    s.commit(m, LOTTE, "2026-01-12T10:00", "Runbook: year end", [("M", "docs/runbook.md")])
    s.commit(m, TIM, "2026-02-09T15:30", "Tariffs 2026", [("M", "billing/tariffs.py")])
    s.commit(m, ILSE, "2026-03-02T09:20", "Dunning: hardship cases", [("M", "billing/dunning.py")])
    s.commit(m, BRAM, "2026-04-13T14:00", "Meter reads: corrections",
             [("M", "billing/meter_reads.py")])
    s.write("billing-engine")


def gis_sync():
    """Hamza wrote the GIS sync; Joost fixes small things from two addresses."""
    s = Stream()
    m = "main"
    s.commit(m, HAMZA, "2025-10-06T10:00", "gissync command", [("M", "cmd/gissync/main.go")])
    s.commit(m, HAMZA, "2025-10-08T14:30", "Layers", [("M", "internal/layers/layers.go")])
    s.commit(m, HAMZA, "2025-10-13T11:00", "Network topology",
             [("M", "internal/topology/graph.go")])
    s.commit(m, HAMZA, "2025-10-14T09:30", "README", [("M", "README.md")])
    s.commit(m, HAMZA, "2025-11-03T15:00", "Topology: valves", [("M", "internal/topology/graph.go")])
    s.commit(m, JOOST, "2025-11-20T10:15", "Layers: proxy settings",
             [("M", "internal/layers/layers.go", "proxy from the environment")])
    s.commit(m, HAMZA, "2026-01-15T13:00", "Layers: hydrants", [("M", "internal/layers/layers.go")])
    s.commit(m, JOOST_HOME, "2026-02-21T21:40", "Topology: nil check",
             [("M", "internal/topology/graph.go", "nil check")])
    s.commit(m, HAMZA, "2026-03-05T10:30", "Topology: pressure zones",
             [("M", "internal/topology/graph.go")])
    s.commit(m, HAMZA, "2026-04-16T11:10", "gissync: --since", [("M", "cmd/gissync/main.go")])
    s.write("gis-sync")


if __name__ == "__main__":
    os.makedirs(os.path.join(HERE, "logs"), exist_ok=True)
    os.makedirs(os.path.join(HERE, "repos"), exist_ok=True)
    write_directory()
    write_auth_log()
    write_audit_log()
    write_platform_log()
    leak_detection()
    netconfig()
    billing_engine()
    gis_sync()

#!/usr/bin/python3
"""The dashboard in a real browser, against the real daemon.

Harbour Utilities (tests/scenarios/harbour) with three hostile people added to its directory is
served by `secondsight daemon` over TLS on 127.0.0.1; headless Chromium, driven through
Selenium, logs in, follows links, acks a finding and logs out; plain HTTP requests (urllib)
check what is answered without a session, the CSRF check, the security headers and the session
cookie's flags.

    dashboard_test.py SECONDSIGHT SOURCE_DIR --chromium PATH --chromedriver PATH
                      [--screenshots DIR] [-v]

With --screenshots DIR, after the tests pass, a PNG of each page (login, overview, person,
system, agencies, agency, checklist) of the company as shipped (without the hostile people) is
saved in DIR, for docs/dashboard.md.
"""

import argparse
import base64
import html.parser
import json
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException, TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.expected_conditions import staleness_of
from selenium.webdriver.support.ui import WebDriverWait

NOW = "2026-05-18T09:00:00Z"
READY_DEADLINE = 120  # seconds: sanitizer builds are slow
WAIT = 30  # seconds for a page to load after a click

# The hostile people, each seconded in an engagement Harbour's policy has.
SCRIPT_NAME = "<script>alert(1)</script>"
IMG_AGENCY = '"><img src=x onerror=alert(2)>'
RLO = "\u202e"
BIDI_NAME = "Ruth " + RLO + "gnissim"
HOSTILE = [
    # (uid, cn, o, departmentNumber, contractEndDate)
    ("mallory", SCRIPT_NAME, "Tideway Consulting", "meter-modernisation", "2026-06-01"),
    ("oscar", "Oscar Bakker", IMG_AGENCY, "network-renewal", "2026-12-31"),
    ("ruth", BIDI_NAME, "Polder Data", "leak-analytics", "2026-06-08"),
]

ARGS = None
COMPANY = None  # the company the tests run against
DRIVER = None


def ldif_line(attribute, value):
    """One LDIF attribute line, base64 (`::`) unless the value is SAFE-STRING (RFC 2849)."""
    safe = (
        value
        and all(0x01 <= ord(c) <= 0x7F and c not in "\n\r" for c in value)
        and value[0] not in " :<"
        and not value.endswith(" ")
    )
    if safe:
        return f"{attribute}: {value}\n"
    return f"{attribute}:: {base64.b64encode(value.encode()).decode()}\n"


def hostile_ldif():
    out = ""
    for number, (uid, cn, agency, engagement, end) in enumerate(HOSTILE):
        out += "\n" + ldif_line("dn", f"uid={uid},ou=people,dc=harbour,dc=example")
        for object_class in ("top", "inetOrgPerson", "posixAccount", "harbourEngagement"):
            out += ldif_line("objectClass", object_class)
        out += ldif_line("uid", uid)
        out += ldif_line("cn", cn)
        out += ldif_line("displayName", cn)
        out += ldif_line("sn", uid.capitalize())
        out += ldif_line("employeeType", "contractor")
        out += ldif_line("departmentNumber", engagement)
        out += ldif_line("uidNumber", str(4301 + number))
        out += ldif_line("gidNumber", "4300")
        out += ldif_line("homeDirectory", f"/home/{uid}")
        out += ldif_line("o", agency)
        out += ldif_line("manager", "uid=lotte,ou=people,dc=harbour,dc=example")
        out += ldif_line("contractEndDate", end)
    return out


def people_of(ldif_text):
    """(uids, display names) of the entries under ou=people of an LDIF export."""
    unfolded = re.sub(r"\n ", "", ldif_text)
    uids, names = set(), set()
    for entry in unfolded.split("\n\n"):
        values = {}
        for line in entry.splitlines():
            if line.startswith("#") or ":" not in line:
                continue
            attribute, _, value = line.partition(":")
            if value.startswith(":"):
                value = base64.b64decode(value[1:].strip()).decode()
            values.setdefault(attribute.lower(), value.strip())
        if ",ou=people," in values.get("dn", ""):
            uids.add(values["uid"])
            names.add(values["cn"])
    return uids, names


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(command, **kwargs):
    return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)


class Answer:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body.decode("utf-8", "replace")

    def location(self):
        return self.headers.get("Location", "")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Company:
    """Harbour Utilities in a temporary folder, served by a daemon with the dashboard on."""

    def __init__(self, binary, source, hostile):
        self.binary = binary
        self.dir = tempfile.mkdtemp(prefix="secondsight-dashboard-")
        self.process = None
        self.stderr_path = os.path.join(self.dir, "daemon.stderr")
        run([os.path.join(source, "tests", "scenarios", "harbour", "setup.sh"), self.dir])
        ldif = os.path.join(self.dir, "directory.ldif")
        if hostile:
            with open(ldif, "a", encoding="utf-8") as f:
                f.write(hostile_ldif())
        with open(ldif, encoding="utf-8") as f:
            self.uids, self.names = people_of(f.read())

        self.api_token = secrets.token_urlsafe(24)
        self.alice_token = secrets.token_urlsafe(24)
        self.token_file = self.secret("token", self.api_token + "\n")
        self.tokens_file = self.secret(
            "dashboard-tokens",
            "# who may log in to the dashboard\nalice: " + self.alice_token + "\n\n",
        )
        self.cert = os.path.join(self.dir, "cert.pem")
        self.key = os.path.join(self.dir, "key.pem")
        run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
             "-nodes", "-keyout", self.key, "-out", self.cert, "-days", "2", "-subj",
             "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"])
        os.chmod(self.key, 0o600)
        self.spki = self.cert_spki()
        self.port = free_port()
        self.base = f"https://127.0.0.1:{self.port}"
        self.config = os.path.join(self.dir, "config.yaml")
        with open(self.config, "a", encoding="utf-8") as f:
            f.write(
                "api:\n"
                f'  listen: "127.0.0.1:{self.port}"\n'
                f"  token_file: {self.token_file}\n"
                f"  tls_cert_file: {self.cert}\n"
                f"  tls_key_file: {self.key}\n"
                f"  dashboard_tokens_file: {self.tokens_file}\n"
            )
        self.tls = ssl.create_default_context(cafile=self.cert)

    def secret(self, name, text):
        path = os.path.join(self.dir, name)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def cert_spki(self):
        """base64 of the SHA-256 of the certificate's public key (SubjectPublicKeyInfo, DER)."""
        pem = run(["openssl", "x509", "-in", self.cert, "-pubkey", "-noout"]).stdout
        der = subprocess.run(["openssl", "pkey", "-pubin", "-outform", "der"], input=pem.encode(),
                             check=True, capture_output=True).stdout
        digest = subprocess.run(["openssl", "dgst", "-sha256", "-binary"], input=der, check=True,
                                capture_output=True).stdout
        return base64.b64encode(digest).decode()

    def start(self):
        env = {k: v for k, v in os.environ.items() if k != "NOTIFY_SOCKET"}
        with open(self.stderr_path, "wb") as err:
            self.process = subprocess.Popen(
                [self.binary, "daemon", "--config", self.config, "--now", NOW],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err, env=env,
                cwd=self.dir)
        deadline = time.monotonic() + READY_DEADLINE
        last = "no answer yet"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the daemon exited with {self.process.returncode} at start")
            try:
                answer = self.request("GET", "/healthz", bearer=True, timeout=5)
                if answer.status == 200 and json.loads(answer.body).get("last_scan"):
                    return
                last = f"{answer.status} {answer.body.strip()}"
            except (OSError, ValueError) as e:
                last = str(e)
            time.sleep(0.1)  # polling interval while the first scan runs
        raise RuntimeError(f"the daemon was not ready within {READY_DEADLINE} s: {last}")

    def stop(self):
        """SIGTERM, then the exit status (SIGKILL after 60 s: a hang is a failure)."""
        if self.process is None or self.process.poll() is not None:
            return None if self.process is None else self.process.returncode
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            return "hung after SIGTERM (killed)"

    def kill(self):
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def stderr(self):
        try:
            with open(self.stderr_path, encoding="utf-8", errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def remove(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    # -- plain HTTP (urllib), redirects not followed

    def request(self, method, path, *, bearer=False, cookie=None, accept=None, form=None,
                timeout=30):
        headers = {}
        if bearer:
            headers["Authorization"] = "Bearer " + self.api_token
        if cookie:
            headers["Cookie"] = "secondsight_session=" + cookie
        if accept:
            headers["Accept"] = accept
        data = None
        if form is not None:
            data = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers=headers)
        opener = urllib.request.build_opener(NoRedirect,
                                             urllib.request.HTTPSHandler(context=self.tls))
        try:
            with opener.open(request, timeout=timeout) as response:
                return Answer(response.status, response.headers, response.read())
        except urllib.error.HTTPError as e:
            return Answer(e.code, e.headers, e.read())

    def login(self, token, next_path="/"):
        """The answer to POST /login and the session cookie's value ("" without one)."""
        answer = self.request("POST", "/login", form={"token": token, "next": next_path},
                              accept="text/html")
        for header in answer.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            if name.strip() == "secondsight_session":
                return answer, rest.split(";")[0]
        return answer, ""

    def open_findings(self):
        answer = self.request("GET", "/api/v1/findings", bearer=True)
        assert answer.status == 200, answer.body
        return json.loads(answer.body)["findings"]

    def finding(self, kind, person=None, system=None):
        for f in self.open_findings():
            if f["kind"] == kind and f.get("person") == person and f.get("system") == system:
                return f["fingerprint"]
        raise AssertionError(f"no open finding {kind} {person} {system}")

    def history(self, fingerprint):
        out = run([self.binary, "findings", "history", fingerprint, "--config", self.config,
                   "--format", "json"], cwd=self.dir).stdout
        return json.loads(out)


class FindingRows(html.parser.HTMLParser):
    """The rows of findings tables: {fingerprint: (text, has an ack form)}; and form fields."""

    def __init__(self, text):
        super().__init__()
        self.rows = {}
        self.inputs = []  # attribute dicts of every <input>
        self._row = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "tr" and "data-fingerprint" in a:
            self._row = a["data-fingerprint"]
            self.rows[self._row] = ["", False]
        elif tag == "form" and self._row and "ack" in a.get("class", "").split():
            self.rows[self._row][1] = True
        elif tag == "input":
            self.inputs.append(a)

    def handle_endtag(self, tag):
        if tag == "tr":
            self._row = None

    def handle_data(self, data):
        if self._row:
            self.rows[self._row][0] += data


def csrf_of(page_html):
    for a in FindingRows(page_html).inputs:
        if a.get("name") == "csrf" and a.get("value"):
            return a["value"]
    raise AssertionError("no csrf field on the page")


def q(segment):
    """A path segment as the dashboard writes it: every byte outside [A-Za-z0-9._~-] encoded."""
    return urllib.parse.quote(segment, safe="")


# -- the browser

def start_driver(company, profile_dir):
    options = webdriver.ChromeOptions()
    options.binary_location = ARGS.chromium
    options.add_argument("--headless=new")
    if os.geteuid() == 0:
        options.add_argument("--no-sandbox")
    options.add_argument("--ignore-certificate-errors-spki-list=" + company.spki)
    options.add_argument("--window-size=1280,900")
    options.add_argument("--user-data-dir=" + profile_dir)
    options.add_argument("--lang=en-GB")
    options.add_argument("--no-first-run")
    options.add_argument("--disable-background-networking")
    return webdriver.Chrome(service=Service(executable_path=ARGS.chromedriver), options=options)


def path_of(driver):
    return urllib.parse.urlsplit(driver.current_url).path


def wait_for_path(driver, path):
    try:
        WebDriverWait(driver, WAIT).until(lambda d: path_of(d) == path)
        WebDriverWait(driver, WAIT).until(lambda d: d.execute_script(
            "return document.readyState") == "complete")
    except TimeoutException:
        body = driver.find_element(By.TAG_NAME, "body").text[:500]
        raise AssertionError(f"waited for {path}, the browser is at {driver.current_url} "
                             f"showing: {body!r}") from None


def browser_login(driver, company, token, name):
    driver.delete_all_cookies()
    driver.get(company.base + "/")
    wait_for_path(driver, "/login")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(driver.current_url).query)
    assert query.get("next") == ["/"], driver.current_url
    field = driver.find_element(By.CSS_SELECTOR, 'input[name="token"][type="password"]')
    labelled = driver.find_elements(By.CSS_SELECTOR, f'label[for="{field.get_attribute("id")}"]')
    labelled += field.find_elements(By.XPATH, "ancestor::label")
    assert labelled, "the token field has no label"
    field.send_keys(token)
    field.find_element(By.XPATH, "ancestor::form").find_element(
        By.CSS_SELECTOR, 'button, input[type="submit"]').click()
    wait_for_path(driver, "/")
    header = driver.find_element(By.TAG_NAME, "header").text
    assert "signed in as " + name in header, header


def main_text(driver):
    return driver.find_element(By.CSS_SELECTOR, "main#main").text


def h1(driver):
    return driver.find_element(By.CSS_SELECTOR, "main#main h1").text


def shown_fingerprints(driver):
    return {row.get_attribute("data-fingerprint")
            for row in driver.find_elements(By.CSS_SELECTOR, "table.findings tr[data-fingerprint]")}


def click_link(driver, href):
    links = [a for a in driver.find_elements(By.CSS_SELECTOR, f'a[href="{href}"]')
             if a.is_displayed()]
    assert links, f"no visible link to {href} on {driver.current_url}"
    links[0].click()
    wait_for_path(driver, href)


def to_overview(driver):
    driver.find_element(
        By.XPATH, "//nav[@aria-label='Main']//a[normalize-space()='Overview']").click()
    wait_for_path(driver, "/")


class BrowserTestCase(unittest.TestCase):
    def setUp(self):
        self.company = COMPANY
        self.driver = DRIVER

    def assertNoAlert(self):
        with self.assertRaises(NoAlertPresentException, msg=self.driver.current_url):
            _ = self.driver.switch_to.alert.text


class WalkThrough(BrowserTestCase):
    def test_login_follow_links_ack_and_logout(self):
        d, c = self.driver, self.company
        browser_login(d, c, c.alice_token, "alice")

        # Every session page: the main navigation, who is signed in, the logout form.
        nav = d.find_element(By.CSS_SELECTOR, 'header nav[aria-label="Main"]')
        for href, label in (("/", "Overview"), ("/agencies", "Agencies")):
            self.assertTrue(nav.find_elements(
                By.XPATH, f".//a[@href='{href}' and normalize-space()='{label}']"), label)
        self.assertTrue(d.find_elements(By.CSS_SELECTOR, 'header form[action="/logout"]'))
        overview = shown_fingerprints(d)
        for f in c.open_findings():
            self.assertIn(f["fingerprint"], overview, f"{f['kind']} {f.get('person')} not shown")

        # A person: bram, whose contract ended on 2026-04-30 and who kept pushing.
        bram = {c.finding("access_after_end", "bram"),
                c.finding("activity_after_end", "bram", "billing-engine"),
                c.finding("activity_after_end", "bram"),
                c.finding("handover_missing", "bram", "billing-engine")}
        click_link(d, "/people/bram")
        self.assertIn("Bram Verhoef", h1(d) + main_text(d))
        text = main_text(d)
        self.assertIn("Tideway Consulting", text)
        self.assertIn("2026-04-30", text)
        self.assertTrue(bram <= shown_fingerprints(d), shown_fingerprints(d))
        self.assertTrue(d.find_elements(By.CSS_SELECTOR, 'a[href="/systems/billing-engine"]'))

        # A system: netconfig, which only femke knows.
        to_overview(d)
        click_link(d, "/systems/netconfig")
        self.assertIn("Network configuration", h1(d) + main_text(d))
        shown = shown_fingerprints(d)
        self.assertIn(c.finding("single_point_of_knowledge", None, "netconfig"), shown)
        self.assertIn(c.finding("handover_missing", "femke", "netconfig"), shown)
        self.assertTrue(d.find_elements(By.CSS_SELECTOR, 'a[href="/people/femke"]'))

        # An agency: Kade IT, through the overview when it links there, else through Agencies.
        to_overview(d)
        kade = "/agencies/" + q("Kade IT")
        if not d.find_elements(By.CSS_SELECTOR, f'a[href="{kade}"]'):
            click_link(d, "/agencies")
        click_link(d, kade)
        self.assertIn("Kade IT", h1(d))
        for uid in ("femke", "yara", "milan"):
            self.assertTrue(d.find_elements(By.CSS_SELECTOR, f'main a[href="/people/{uid}"]'), uid)
        self.assertFalse(d.find_elements(By.CSS_SELECTOR, 'main a[href="/people/bram"]'))

        # A checklist: femke's (her end, 2026-06-05, is within the notice), with the policy's items.
        d.get(c.base + "/checklists/femke")
        wait_for_path(d, "/checklists/femke")
        self.assertIn("Return the laptop, the access badge and the station keys", main_text(d))

        # Ack daan's missing end date from the overview.
        fingerprint = c.finding("missing_end_date", "daan")
        to_overview(d)
        form = d.find_element(By.CSS_SELECTOR, f'form.ack[action="/findings/{fingerprint}/ack"]')
        until = form.find_element(By.CSS_SELECTOR, 'input[name="until"]')
        self.assertEqual(until.get_attribute("type"), "date")
        for hidden in ("csrf", "next"):
            field = form.find_element(By.CSS_SELECTOR, f'input[name="{hidden}"]')
            self.assertEqual(field.get_attribute("type"), "hidden")
        # A date field's typing depends on the locale; its value is set as a date picker sets it.
        d.execute_script("arguments[0].value = '2027-03-31'", until)
        reason = "Contract extension is being signed (HR-1234)"
        form.find_element(By.CSS_SELECTOR, '[name="reason"]').send_keys(reason)
        form.find_element(By.XPATH, ".//button[normalize-space()='Ack']").click()
        WebDriverWait(d, WAIT).until(staleness_of(form))  # the overview again, after the POST
        wait_for_path(d, "/")
        self.assertFalse(
            d.find_elements(By.CSS_SELECTOR, f'form.ack[action="/findings/{fingerprint}/ack"]'))
        acks = [e["ack"] for e in c.history(fingerprint) if e["change"] == "acked"]
        self.assertEqual(len(acks), 1, acks)
        self.assertEqual(acks[0]["by"], "alice")
        self.assertEqual(acks[0]["reason"], reason)
        self.assertTrue(acks[0]["until"].startswith("2027-03-3"), acks[0])

        # Log out: the overview now sends to the login form.
        d.find_element(By.CSS_SELECTOR, 'header form[action="/logout"]').find_element(
            By.XPATH, ".//button[normalize-space()='Log out'] | .//input[@value='Log out']").click()
        wait_for_path(d, "/login")
        d.get(c.base + "/")
        wait_for_path(d, "/login")
        self.assertNoAlert()


class HostileValues(BrowserTestCase):
    def setUp(self):
        super().setUp()
        browser_login(self.driver, self.company, self.company.alice_token, "alice")

    def visit(self, path):
        self.driver.get(self.company.base + path)
        wait_for_path(self.driver, path)
        self.assertNoAlert()
        self.assertFalse(self.driver.find_elements(By.TAG_NAME, "script"), path)
        self.assertFalse(self.driver.find_elements(By.CSS_SELECTOR, "[onerror]"), path)

    def test_a_name_with_markup_is_text(self):
        self.visit("/")
        self.visit("/people/mallory")
        self.assertIn(SCRIPT_NAME, main_text(self.driver))

    def test_an_agency_with_markup_is_text(self):
        for path in ("/agencies", "/agencies/" + q(IMG_AGENCY), "/people/oscar"):
            self.visit(path)
            self.assertFalse(self.driver.find_elements(By.TAG_NAME, "img"), path)
            self.assertIn(IMG_AGENCY, main_text(self.driver), path)
        self.visit("/agencies")
        self.assertTrue(self.driver.find_elements(
            By.CSS_SELECTOR, f'a[href="/agencies/{q(IMG_AGENCY)}"]'))

    def test_a_bidi_override_is_shown_as_an_escape(self):
        self.visit("/people/ruth")
        text = self.driver.find_element(By.TAG_NAME, "body").text
        # As core's escape_terminal writes it: \u{202e} (the hex digits' case is not the point).
        self.assertRegex(text, r"\\u\{202[eE]\}")
        self.assertNotIn(RLO, text)
        self.assertNotIn(RLO, self.driver.page_source)


class WithoutASession(unittest.TestCase):
    def page_paths(self):
        return ["/", "/people/bram", "/people/mallory", "/systems/netconfig", "/agencies",
                "/agencies/" + q("Kade IT"), "/agencies/-", "/checklists/femke"]

    def assertNoPersonalData(self, body, where):
        for uid in COMPANY.uids:
            self.assertIsNone(re.search(r"\b" + re.escape(uid) + r"\b", body), f"{uid} in {where}")
        for name in COMPANY.names:
            self.assertNotIn(name, body, where)
        for f in COMPANY.open_findings():
            self.assertNotIn(f["fingerprint"], body, where)

    def test_pages_send_browsers_to_login_and_others_get_401(self):
        for path in self.page_paths():
            with self.subTest(path=path):
                browser = COMPANY.request("GET", path, accept="text/html,application/xhtml+xml")
                self.assertEqual(browser.status, 303, browser.body)
                target = urllib.parse.urlsplit(browser.location())
                self.assertEqual(target.path, "/login")
                self.assertEqual(urllib.parse.parse_qs(target.query).get("next"), [path])
                self.assertNoPersonalData(browser.body, "303 " + path)
                other = COMPANY.request("GET", path)
                self.assertEqual(other.status, 401, other.body)
                self.assertNoPersonalData(other.body, "401 " + path)

    def test_the_stylesheet_holds_no_personal_data(self):
        answer = COMPANY.request("GET", "/dashboard.css", accept="text/css")
        self.assertIn(answer.status, (200, 303, 401))
        self.assertNoPersonalData(answer.body, "/dashboard.css")

    def test_an_ack_without_a_session_records_nothing(self):
        fingerprint = COMPANY.finding("unused_access", "milan", "telemetry")
        answer = COMPANY.request("POST", f"/findings/{fingerprint}/ack", accept="text/html",
                                 form={"until": "2027-01-31", "reason": "none", "next": "/"})
        self.assertIn(answer.status, (303, 401, 403))
        if answer.status == 303:
            self.assertEqual(urllib.parse.urlsplit(answer.location()).path, "/login")
        self.assertFalse([e for e in COMPANY.history(fingerprint) if e["change"] == "acked"])

    def test_the_json_api_still_needs_the_bearer_token(self):
        for path in ("/api/v1/findings", "/healthz", "/metrics"):
            with self.subTest(path=path):
                self.assertEqual(COMPANY.request("GET", path).status, 401)
                self.assertEqual(COMPANY.request("GET", path, accept="text/html").status, 401)
                self.assertEqual(COMPANY.request("GET", path, bearer=True).status, 200)
        _, cookie = COMPANY.login(COMPANY.alice_token)
        self.assertEqual(COMPANY.request("GET", "/api/v1/findings", cookie=cookie).status, 401)


class Sessions(unittest.TestCase):
    def test_login_sets_a_strict_cookie(self):
        answer, cookie = COMPANY.login(COMPANY.alice_token, "/agencies")
        self.assertEqual(answer.status, 303, answer.body)
        self.assertEqual(urllib.parse.urlsplit(answer.location()).path, "/agencies")
        self.assertTrue(cookie)
        header = next(h for h in answer.headers.get_all("Set-Cookie")
                      if h.startswith("secondsight_session="))
        flags = {}
        for part in header.split(";")[1:]:
            name, _, value = part.strip().partition("=")
            flags[name.lower()] = value
        self.assertIn("httponly", flags, header)
        self.assertIn("secure", flags, header)
        self.assertEqual(flags.get("samesite", "").lower(), "strict", header)
        self.assertEqual(flags.get("path"), "/", header)
        self.assertRegex(flags.get("max-age", ""), r"^[1-9][0-9]*$", header)
        page = COMPANY.request("GET", "/agencies", cookie=cookie, accept="text/html")
        self.assertEqual(page.status, 200)
        self.assertIn("signed in as alice", page.body)

    def test_a_wrong_token_gets_401_and_the_form_with_an_alert(self):
        answer, cookie = COMPANY.login("not-" + COMPANY.alice_token)
        self.assertEqual(answer.status, 401)
        self.assertFalse(cookie)
        self.assertIn('role="alert"', answer.body)
        self.assertIn('name="token"', answer.body)

    def test_the_api_token_logs_in_as_api(self):
        answer, cookie = COMPANY.login(COMPANY.api_token)
        self.assertEqual(answer.status, 303)
        page = COMPANY.request("GET", "/", cookie=cookie, accept="text/html")
        self.assertIn("signed in as api", page.body)

    def test_logout_ends_the_session(self):
        _, cookie = COMPANY.login(COMPANY.alice_token)
        overview = COMPANY.request("GET", "/", cookie=cookie, accept="text/html")
        self.assertEqual(overview.status, 200)
        answer = COMPANY.request("POST", "/logout", cookie=cookie, accept="text/html",
                                 form={"csrf": csrf_of(overview.body)})
        self.assertEqual(answer.status, 303)
        self.assertEqual(urllib.parse.urlsplit(answer.location()).path, "/login")
        after = COMPANY.request("GET", "/", cookie=cookie, accept="text/html")
        self.assertEqual(after.status, 303)
        self.assertEqual(urllib.parse.urlsplit(after.location()).path, "/login")
        self.assertEqual(COMPANY.request("GET", "/", cookie=cookie).status, 401)

    def test_an_ack_without_the_csrf_token_is_refused(self):
        _, cookie = COMPANY.login(COMPANY.alice_token)
        fingerprint = COMPANY.finding("need_to_know_violation", "noor", "customer-records")
        form = {"until": "2027-01-31", "reason": "forged", "next": "/"}
        for csrf in (None, "", "0" * 43):
            with self.subTest(csrf=csrf):
                fields = dict(form) if csrf is None else dict(form, csrf=csrf)
                answer = COMPANY.request("POST", f"/findings/{fingerprint}/ack", cookie=cookie,
                                         accept="text/html", form=fields)
                self.assertEqual(answer.status, 403, answer.body)
        self.assertFalse([e for e in COMPANY.history(fingerprint) if e["change"] == "acked"])


CSP = {
    "default-src": "'none'",
    "style-src": "'self'",
    "img-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
}


class SecurityHeaders(unittest.TestCase):
    def assertHtmlHeaders(self, answer, where):
        csp = answer.headers.get("Content-Security-Policy", "")
        directives = {}
        for part in csp.split(";"):
            words = part.split()
            if words:
                directives[words[0].lower()] = " ".join(words[1:])
        self.assertEqual(directives, CSP, where)
        self.assertNotIn("unsafe-inline", csp, where)
        self.assertEqual(answer.headers.get("X-Content-Type-Options"), "nosniff", where)
        self.assertEqual(answer.headers.get("Referrer-Policy"), "no-referrer", where)
        self.assertEqual(answer.headers.get("X-Frame-Options"), "DENY", where)
        self.assertEqual(answer.headers.get("Cache-Control"), "no-store", where)

    def test_every_html_answer_has_them(self):
        _, cookie = COMPANY.login(COMPANY.alice_token)
        pages = ["/", "/people/bram", "/people/mallory", "/systems/netconfig", "/agencies",
                 "/agencies/" + q("Kade IT"), "/agencies/" + q(IMG_AGENCY), "/checklists/femke"]
        for path in pages:
            with self.subTest(path=path):
                answer = COMPANY.request("GET", path, cookie=cookie, accept="text/html")
                self.assertEqual(answer.status, 200, path)
                self.assertTrue(answer.headers.get("Content-Type", "").startswith("text/html"))
                self.assertHtmlHeaders(answer, path)
        # The login form for whoever has no session; a session goes on to the overview.
        for path, status, with_cookie in (("/login", 200, None), ("/login", 303, cookie),
                                          ("/people/nobody-here", 404, cookie)):
            with self.subTest(path=path, status=status):
                answer = COMPANY.request("GET", path, cookie=with_cookie, accept="text/html")
                self.assertEqual(answer.status, status)
                self.assertHtmlHeaders(answer, path)
        wrong, _ = COMPANY.login("wrong")
        self.assertHtmlHeaders(wrong, "POST /login (wrong token)")
        css = COMPANY.request("GET", "/dashboard.css", cookie=cookie)
        self.assertEqual(css.status, 200)
        self.assertTrue(css.headers.get("Content-Type", "").startswith("text/css"))
        self.assertEqual(css.headers.get("X-Content-Type-Options"), "nosniff")


class ZoomAndPrint(BrowserTestCase):
    """At 200% zoom (a 1280-pixel window holds 640 CSS pixels) every page fits its width, its
    wide tables scrolling inside their own box; printed, the navigation and the forms are left
    out and the content stays."""
    PAGES = ("/", "/people/bram", "/systems/netconfig", "/agencies", "/agencies/" + q("Kade IT"),
             "/checklists/femke")

    def setUp(self):
        super().setUp()
        browser_login(self.driver, self.company, self.company.alice_token, "alice")

    def tearDown(self):
        self.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
        self.driver.set_window_size(1280, 900)

    def test_every_page_fits_its_width_at_200_percent(self):
        d = self.driver
        d.set_window_size(640, 900)
        for path in self.PAGES:
            d.get(self.company.base + path)
            wait_for_path(d, path)
            page_width, view_width = d.execute_script(
                "return [document.documentElement.scrollWidth, window.innerWidth]")
            self.assertLessEqual(page_width, view_width, path)
            self.assertTrue(d.find_element(By.TAG_NAME, "h1").is_displayed(), path)

    def test_printed_pages_leave_out_navigation_and_forms(self):
        d = self.driver
        d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        for path in self.PAGES:
            d.get(self.company.base + path)
            wait_for_path(d, path)
            for selector in ('header nav[aria-label="Main"]', "form"):
                for element in d.find_elements(By.CSS_SELECTOR, selector):
                    self.assertFalse(element.is_displayed(), f"{path}: {selector}")
            self.assertTrue(d.find_element(By.TAG_NAME, "h1").is_displayed(), path)
            self.assertTrue(d.find_element(By.TAG_NAME, "table").is_displayed(), path)


# -- screenshots for the docs

def full_page_png(driver, path):
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1280, max(900, min(int(height), 6000)))
    driver.save_screenshot(path)
    driver.set_window_size(1280, 900)


def take_screenshots(directory):
    os.makedirs(directory, exist_ok=True)
    company = Company(ARGS.binary, ARGS.source, hostile=False)
    driver = None
    try:
        company.start()
        driver = start_driver(company, os.path.join(company.dir, "profile"))
        driver.get(company.base + "/")
        wait_for_path(driver, "/login")
        full_page_png(driver, os.path.join(directory, "login.png"))
        browser_login(driver, company, company.alice_token, "alice")
        for name, path in (("overview", "/"), ("person", "/people/bram"),
                           ("system", "/systems/netconfig"), ("agencies", "/agencies"),
                           ("agency", "/agencies/" + q("Kade IT")),
                           ("checklist", "/checklists/femke")):
            driver.get(company.base + path)
            wait_for_path(driver, path)
            full_page_png(driver, os.path.join(directory, name + ".png"))
            print(f"saved {os.path.join(directory, name + '.png')}")
    except Exception:
        sys.stderr.write("the daemon's stderr:\n" + company.stderr())
        raise
    finally:
        if driver is not None:
            driver.quit()
        status = company.stop()
        company.remove()
    if status != 0:
        raise RuntimeError(f"the screenshots' daemon ended with {status}")


def main():
    global ARGS, COMPANY, DRIVER
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binary")
    parser.add_argument("source")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    parser.add_argument("--chromedriver", default=shutil.which("chromedriver") or "chromedriver")
    parser.add_argument("--screenshots", metavar="DIR")
    parser.add_argument("-v", "--verbose", action="store_true")
    ARGS = parser.parse_args()

    COMPANY = Company(ARGS.binary, ARGS.source, hostile=True)
    ok = False
    status = None
    try:
        COMPANY.start()
        DRIVER = start_driver(COMPANY, os.path.join(COMPANY.dir, "profile"))
        suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__])
        result = unittest.TextTestRunner(verbosity=2 if ARGS.verbose else 1).run(suite)
        ok = result.wasSuccessful()
    except Exception as e:  # the fixture itself failed: say so, with the daemon's stderr
        print(f"error: {e}", file=sys.stderr)
    finally:
        if DRIVER is not None:
            DRIVER.quit()
        status = COMPANY.stop()
        if status != 0:
            print(f"the daemon's exit status: {status} (expected 0, after SIGTERM)", file=sys.stderr)
        if not ok or status != 0:
            sys.stderr.write("the daemon's stderr:\n" + COMPANY.stderr())
        COMPANY.kill()
        COMPANY.remove()
    if not ok or status != 0:
        return 1
    if ARGS.screenshots:
        take_screenshots(ARGS.screenshots)
    return 0


if __name__ == "__main__":
    sys.exit(main())

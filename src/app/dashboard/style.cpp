// The dashboard's one stylesheet, served as /dashboard.css: calm, readable at 200% zoom
// (relative units; wide tables scroll in .scroll), severities in colour and in words, and a
// print form that leaves out navigation and forms.
#include "pages.hpp"

namespace secondsight::app::dashboard {

namespace {

constexpr std::string_view k_css = R"css(:root {
  color-scheme: light;
  --text: #1b1b1b;
  --muted: #555;
  --line: #c8c8c8;
  --back: #fdfdfc;
  --link: #0b4f8a;
  --focus: #c25400;
}
* { box-sizing: border-box; }
html { font-size: 100%; }
body {
  margin: 0;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", "Liberation Sans",
    Arial, sans-serif;
  line-height: 1.5;
  color: var(--text);
  background: var(--back);
}
a { color: var(--link); }
a:focus, button:focus, input:focus, summary:focus {
  outline: 3px solid var(--focus);
  outline-offset: 2px;
}
.skip { position: absolute; left: -100vw; }
.skip:focus { position: static; display: inline-block; margin: 0.5rem; }
header {
  display: flex;
  flex-wrap: wrap;
  align-items: center;
  gap: 0.5rem 1.5rem;
  padding: 0.5rem 1rem;
  border-bottom: 1px solid var(--line);
}
header nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: 1rem; margin: 0; padding: 0; }
header nav a { font-weight: 600; }
header .user { margin: 0 0 0 auto; color: var(--muted); }
header form { margin: 0; }
nav.pages p { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: baseline; }
nav.pages span { color: var(--muted); }
main { padding: 1rem; max-width: 90rem; }
main p, main dl, main ul { max-width: 70ch; }
footer { padding: 0.5rem 1rem; color: var(--muted); border-top: 1px solid var(--line); }
h1 { font-size: 1.6rem; margin: 0.5rem 0 1rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 0.5rem; }
.notice { border-left: 0.3rem solid var(--link); padding: 0.3rem 0.75rem; background: #eef4fa; }
.error, .problem { color: #9b0000; font-weight: 600; }
.scroll { overflow-x: auto; max-width: 100%; margin: 0.5rem 0 1rem; }
table { border-collapse: collapse; }
caption { text-align: left; font-weight: 600; padding: 0.25rem 0; }
th, td { text-align: left; vertical-align: top; padding: 0.3rem 0.6rem; border-bottom: 1px solid var(--line); }
thead th { border-bottom: 2px solid var(--muted); }
tbody th { font-weight: normal; }
td.summary { min-width: 20ch; max-width: 60ch; }
.cards { display: flex; flex-wrap: wrap; gap: 0 2rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
.dn { color: var(--muted); font-size: 0.875em; overflow-wrap: anywhere; }
.path + .path { margin-top: 0.4rem; }
code { font-size: 0.95em; overflow-wrap: anywhere; }
.severity { font-weight: 600; }
.severity-critical { color: #8f0000; }
.severity-high { color: #a23c00; }
.severity-medium { color: #6b5200; }
.severity-low { color: #2d5d1f; }
.severity-info { color: var(--muted); }
form.ack { display: flex; flex-wrap: wrap; align-items: center; gap: 0.25rem 0.5rem; }
form.ack input[type=text] { min-width: 12ch; }
input, button { font: inherit; }
button { padding: 0.2rem 0.8rem; border: 1px solid var(--muted); border-radius: 0.2rem; background: #f1f1f1; }
figure { margin: 0.5rem 0; }
svg.chart { display: block; width: 100%; max-width: 60rem; height: auto; color: var(--text); }
figcaption { color: var(--muted); }
details { margin: 0.5rem 0 1rem; }
.login { max-width: 30rem; margin: 3rem auto; }
.login form { display: grid; gap: 0.5rem; }
.checklist .meta th { font-weight: 600; border: none; }
.checklist ul.items { list-style: none; padding: 0; }
.checklist ul.items > li { margin: 0 0 0.5rem; }
.checklist .box { display: inline-block; width: 1.5em; }
.checklist .done { color: var(--muted); }
.checklist .when { color: var(--muted); font-size: 0.9em; }
.checklist ul.facts { font-size: 0.9em; }
.checklist .alert { border: 2px solid #9b0000; padding: 0.5rem 0.75rem; }
@media print {
  header nav, nav.pages, form, form.ack, .login form, .skip, footer { display: none; }
  body { color: #000; background: #fff; font-size: 10.5pt; }
  a { color: #000; text-decoration: none; }
  main { padding: 0; max-width: none; }
  .scroll { overflow: visible; }
  table { width: 100%; }
  tr, li, figure { page-break-inside: avoid; break-inside: avoid; }
  thead { display: table-header-group; }
  h1, h2 { page-break-after: avoid; break-after: avoid; }
  .severity, .error, .problem, .notice { color: #000; }
  details > summary { display: none; }
}
)css";

}  // namespace

std::string_view dashboard_css() {
  return k_css;
}

}  // namespace secondsight::app::dashboard

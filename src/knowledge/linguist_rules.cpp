// Which files count (docs/knowledge.md: "Linguist's rules"): our own table, derived from GitHub
// Linguist 7.22's data files: lib/linguist/vendor.yml (vendored), documentation.yml
// (documentation), generated.rb (generated: the rules that go by the path alone; the rules that
// read a file's content are not applied, as we never read blobs), and languages.yml,
// heuristics.yml, generic.yml (the language tables at the end, printed by
// scripts/linguist_languages.py). Linguist's regular expressions are written here as rules on
// the parts of a path; docs/knowledge.md lists them and where they differ.
#include <array>
#include <string>
#include <string_view>
#include <unordered_set>

#include "secondsight/knowledge/history.hpp"

namespace secondsight::knowledge {
namespace {

enum class Kind : std::uint8_t {
  dir,           // (^|/)TEXT/       a directory (TEXT may hold several: "gradle/wrapper")
  root_dir,      // ^TEXT/           the first directory
  component,     // (^|/)TEXT        a directory or the file name starts with TEXT
  name,          // (^|/)TEXT$       the file name
  name_nocase,   //                  the file name, ignoring ASCII case
  root_name,     // ^TEXT$           the whole path
  name_stem,     // (^|/)TEXT(\.|$)  the file name, or it followed by a dot
  name_fix,      // (^|/)TEXT.*END$  the file name's start and end; `middle` says what is between
  under,         // (^|/)TEXT.*END$  a directory or the file name starts with TEXT; the path ends
  dir_then_end,  // (^|/)TEXT/.*END$ under that directory, the path ends with END
  end,           // TEXT$
  end_nocase,    // TEXT$ ignoring ASCII case
  contains,      // TEXT anywhere
};

enum class Middle : std::uint8_t {
  any,
  no_dot,   // [^.]*
  version,  // \d+(\.\d+)*
};

struct Rule {
  Kind kind;
  std::string_view text;
  std::string_view end = {};
  Middle middle = Middle::any;
};

using K = Kind;
using M = Middle;

// vendor.yml
constexpr Rule k_vendored[] = {
    // Caches, dependencies, distributions, C dependencies
    {K::dir, "cache"},
    {K::root_dir, "Dependencies"},
    {K::root_dir, "dependencies"},
    {K::dir, "dist"},
    {K::root_dir, "deps"},
    {K::name, "configure"},
    {K::name, "config.guess"},
    {K::name, "config.sub"},
    // autoconf
    {K::component, "aclocal.m4"},
    {K::component, "libtool.m4"},
    {K::component, "ltoptions.m4"},
    {K::component, "ltsugar.m4"},
    {K::component, "ltversion.m4"},
    {K::component, "lt~obsolete.m4"},
    // .NET Core install scripts, linters
    {K::name, "dotnet-install.ps1"},
    {K::name, "dotnet-install.sh"},
    {K::component, "cpplint.py"},
    // Node, Yarn 2, esy, Bower, Erlang, Go, GNU indent
    {K::dir, "node_modules"},
    {K::dir, ".yarn/releases"},
    {K::dir, ".yarn/plugins"},
    {K::dir, ".yarn/sdks"},
    {K::dir, ".yarn/versions"},
    {K::dir, ".yarn/unplugged"},
    {K::name, "_esy"},
    {K::dir, "bower_components"},
    {K::root_name, "rebar"},
    {K::component, "erlang.mk"},
    {K::dir, "Godeps/_workspace"},
    {K::dir, "testdata"},
    {K::component, ".indent.pro"},
    // Minified JavaScript and CSS, stylesheets imported from packages
    {K::end, ".min.js"},
    {K::end, ".min.css"},
    {K::end, "-min.js"},
    {K::end, "-min.css"},
    {K::end, "import.css"},
    {K::end, "import.less"},
    {K::end, "import.scss"},
    {K::end, "import.styl"},
    // Bootstrap
    {K::name_fix, "bootstrap", ".js"},
    {K::name_fix, "bootstrap", ".css"},
    {K::name_fix, "bootstrap", ".less"},
    {K::name_fix, "bootstrap", ".scss"},
    {K::name_fix, "bootstrap", ".styl"},
    {K::under, "custom.bootstrap", "js"},
    {K::under, "custom.bootstrap", "css"},
    {K::under, "custom.bootstrap", "less"},
    {K::under, "custom.bootstrap", "scss"},
    {K::under, "custom.bootstrap", "styl"},
    // Font Awesome, Foundation, Normalize, Skeleton, Bourbon, Animate, Materialize, Select2, Bulma
    {K::name, "font-awesome.css"},
    {K::name, "font-awesome.less"},
    {K::name, "font-awesome.scss"},
    {K::name, "font-awesome.styl"},
    {K::name, "fontawesome.css"},
    {K::name, "fontawesome.less"},
    {K::name, "fontawesome.scss"},
    {K::name, "fontawesome.styl"},
    {K::dir_then_end, "font-awesome", ".css"},
    {K::dir_then_end, "font-awesome", ".less"},
    {K::dir_then_end, "font-awesome", ".scss"},
    {K::dir_then_end, "font-awesome", ".styl"},
    {K::dir_then_end, "fontawesome", ".css"},
    {K::dir_then_end, "fontawesome", ".less"},
    {K::dir_then_end, "fontawesome", ".scss"},
    {K::dir_then_end, "fontawesome", ".styl"},
    {K::name, "foundation.css"},
    {K::name, "foundation.less"},
    {K::name, "foundation.scss"},
    {K::name, "foundation.styl"},
    {K::name, "normalize.css"},
    {K::name, "normalize.less"},
    {K::name, "normalize.scss"},
    {K::name, "normalize.styl"},
    {K::name, "skeleton.css"},
    {K::name, "skeleton.less"},
    {K::name, "skeleton.scss"},
    {K::name, "skeleton.styl"},
    {K::dir_then_end, "Bourbon", ".css"},
    {K::dir_then_end, "Bourbon", ".less"},
    {K::dir_then_end, "Bourbon", ".scss"},
    {K::dir_then_end, "Bourbon", ".styl"},
    {K::dir_then_end, "bourbon", ".css"},
    {K::dir_then_end, "bourbon", ".less"},
    {K::dir_then_end, "bourbon", ".scss"},
    {K::dir_then_end, "bourbon", ".styl"},
    {K::name, "animate.css"},
    {K::name, "animate.less"},
    {K::name, "animate.scss"},
    {K::name, "animate.styl"},
    {K::name, "materialize.css"},
    {K::name, "materialize.less"},
    {K::name, "materialize.scss"},
    {K::name, "materialize.styl"},
    {K::name, "materialize.js"},
    {K::dir_then_end, "select2", ".css"},
    {K::dir_then_end, "select2", ".scss"},
    {K::dir_then_end, "select2", ".js"},
    {K::name, "bulma.css"},
    {K::name, "bulma.sass"},
    {K::name, "bulma.scss"},
    // Vendored dependencies: (3rd|[Tt]hird)[-_]?[Pp]arty/
    {K::contains, "3rdparty/"},
    {K::contains, "3rd-party/"},
    {K::contains, "3rd_party/"},
    {K::contains, "3rdParty/"},
    {K::contains, "3rd-Party/"},
    {K::contains, "3rd_Party/"},
    {K::contains, "thirdparty/"},
    {K::contains, "third-party/"},
    {K::contains, "third_party/"},
    {K::contains, "thirdParty/"},
    {K::contains, "third-Party/"},
    {K::contains, "third_Party/"},
    {K::contains, "Thirdparty/"},
    {K::contains, "Third-party/"},
    {K::contains, "Third_party/"},
    {K::contains, "ThirdParty/"},
    {K::contains, "Third-Party/"},
    {K::contains, "Third_Party/"},
    {K::dir, "vendor"},
    {K::dir, "vendors"},
    {K::dir, "Vendor"},
    {K::dir, "extern"},
    {K::dir, "Extern"},
    {K::dir, "external"},
    {K::dir, "External"},
    {K::dir, "externals"},
    {K::dir, "Externals"},
    // Debian packaging, Haxelib, Bootstrap Datepicker
    {K::root_dir, "debian"},
    {K::name, "run.n"},
    {K::dir, "bootstrap-datepicker"},
    // jQuery and its plugins
    {K::name_fix, "jquery", ".js", M::no_dot},
    {K::name_fix, "jquery-", ".js", M::version},
    {K::name_fix, "jquery-ui", ".js"},
    {K::name_fix, "jquery-ui", ".css"},
    {K::name_fix, "jquery.ui.", ".js", M::no_dot},
    {K::name_fix, "jquery.ui.", ".css", M::no_dot},
    {K::name_fix, "jquery.effects.", ".js", M::no_dot},
    {K::name_fix, "jquery.effects.", ".css", M::no_dot},
    {K::component, "jquery.fn.gantt.js"},
    {K::component, "jquery.fancybox.js"},
    {K::component, "jquery.fancybox.css"},
    {K::component, "fuelux.js"},
    {K::name_fix, "jquery.fileupload", ".js"},
    {K::component, "jquery.dataTables.js"},
    {K::component, "bootbox.js"},
    {K::component, "pdf.worker.js"},
    {K::name_fix, "slick.", ".js"},
    // Leaflet plugins
    {K::name_fix, "Leaflet.Coordinates-", ".src.js", M::version},
    {K::component, "leaflet.draw-src.js"},
    {K::component, "leaflet.draw.css"},
    {K::component, "Control.FullScreen.css"},
    {K::component, "Control.FullScreen.js"},
    {K::component, "leaflet.spin.js"},
    {K::component, "wicket-leaflet.js"},
    // Editor workspaces
    {K::component, ".sublime-project"},
    {K::component, ".sublime-workspace"},
    {K::dir, ".vscode"},
    // Prototype, TypeScript definitions, MooTools, Dojo, MochiKit, YUI, WYSIWYG editors
    {K::under, "prototype", ".js"},
    {K::name, "effects.js"},
    {K::name, "controls.js"},
    {K::name, "dragdrop.js"},
    {K::end, ".d.ts"},
    {K::name_fix, "mootools", ".js"},
    {K::name, "dojo.js"},
    {K::name, "MochiKit.js"},
    {K::name_fix, "yahoo-", ".js", M::no_dot},
    {K::name_fix, "yui", ".js", M::no_dot},
    {K::name, "ckeditor.js"},
    {K::name_fix, "tiny_mce", ".js", M::no_dot},
    {K::component, "tiny_mce/langs"},
    {K::component, "tiny_mce/plugins"},
    {K::component, "tiny_mce/themes"},
    {K::component, "tiny_mce/utils"},
    // Ace, Fontello, MathJax, Chart.js, CodeMirror
    {K::dir, "ace-builds"},
    {K::under, "fontello", ".css"},
    {K::dir, "MathJax"},
    {K::name, "Chart.js"},
    {K::component, "CodeMirror/lib"},
    {K::component, "CodeMirror/mode"},
    {K::component, "CodeMirror/theme"},
    {K::component, "CodeMirror/addon"},
    {K::component, "CodeMirror/keymap"},
    {K::component, "CodeMirror/demo"},
    {K::component, "codemirror/lib"},
    {K::component, "codemirror/mode"},
    {K::component, "codemirror/theme"},
    {K::component, "codemirror/addon"},
    {K::component, "codemirror/keymap"},
    {K::component, "codemirror/demo"},
    // SyntaxHighlighter, AngularJS, D3, React, flow-typed, Modernizr, Knockout
    {K::name_fix, "shBrush", ".js", M::no_dot},
    {K::name, "shCore.js"},
    {K::name, "shLegacy.js"},
    {K::name_fix, "angular", ".js", M::no_dot},
    {K::name_fix, "d3", ".js", M::no_dot},
    {K::name_fix, "d3.v", ".js", M::version},
    {K::name, "react.js"},
    {K::name_fix, "react-", ".js", M::no_dot},
    {K::dir_then_end, "flow-typed", ".js"},
    {K::name_fix, "modernizr-", ".js", M::version},
    {K::name_fix, "modernizr.custom.", ".js", M::version},
    {K::name_fix, "knockout-", ".js", M::version},
    {K::name_fix, "knockout-", ".debug.js", M::version},
    // Sphinx: (^|/)docs?/_?(build|themes?|templates?|static)/
    {K::dir, "doc/build"},
    {K::dir, "doc/_build"},
    {K::dir, "doc/theme"},
    {K::dir, "doc/_theme"},
    {K::dir, "doc/themes"},
    {K::dir, "doc/_themes"},
    {K::dir, "doc/template"},
    {K::dir, "doc/_template"},
    {K::dir, "doc/templates"},
    {K::dir, "doc/_templates"},
    {K::dir, "doc/static"},
    {K::dir, "doc/_static"},
    {K::dir, "docs/build"},
    {K::dir, "docs/_build"},
    {K::dir, "docs/theme"},
    {K::dir, "docs/_theme"},
    {K::dir, "docs/themes"},
    {K::dir, "docs/_themes"},
    {K::dir, "docs/template"},
    {K::dir, "docs/_template"},
    {K::dir, "docs/templates"},
    {K::dir, "docs/_templates"},
    {K::dir, "docs/static"},
    {K::dir, "docs/_static"},
    // django, Fabric, WAF, .osx
    {K::dir, "admin_media"},
    {K::dir, "env"},
    {K::name, "fabfile.py"},
    {K::name, "waf"},
    {K::name, ".osx"},
    // Xcode, Carthage, Sparkle, Crashlytics, Fabric, BuddyBuild, Realm
    {K::contains, ".xctemplate/"},
    {K::contains, ".imageset/"},
    {K::dir, "Carthage"},
    {K::dir, "Sparkle"},
    {K::dir, "Crashlytics.framework"},
    {K::dir, "Fabric.framework"},
    {K::dir, "BuddyBuildSDK.framework"},
    {K::component, "Realm.framework"},
    {K::component, "RealmSwift.framework"},
    // git config files, Gradle, Maven
    {K::name, ".gitattributes"},
    {K::name, ".gitignore"},
    {K::name, ".gitmodules"},
    {K::name, "gradlew"},
    {K::name, "gradlew.bat"},
    {K::dir, "gradle/wrapper"},
    {K::name, "mvnw"},
    {K::name, "mvnw.cmd"},
    {K::dir, ".mvn/wrapper"},
    // Visual Studio IntelliSense, jQuery validation, Microsoft Ajax
    {K::end, "-vsdoc.js"},
    {K::end, ".intellisense.js"},
    {K::name_fix, "jquery", ".validate.js", M::no_dot},
    {K::name_fix, "jquery", ".validate.unobtrusive.js", M::no_dot},
    {K::name_fix, "jquery", ".unobtrusive-ajax.js", M::no_dot},
    {K::name_nocase, "microsoftajax.js"},
    {K::name_nocase, "microsoftajax.debug.js"},
    {K::name_nocase, "microsoftvalidation.js"},
    {K::name_nocase, "microsoftvalidation.debug.js"},
    {K::name_nocase, "microsoftmvcajax.js"},
    {K::name_nocase, "microsoftmvcajax.debug.js"},
    {K::name_nocase, "microsoftmvcvalidation.js"},
    {K::name_nocase, "microsoftmvcvalidation.debug.js"},
    // ExtJS
    {K::dir_then_end, "extjs", ".js"},
    {K::dir_then_end, "extjs", ".xml"},
    {K::dir_then_end, "extjs", ".txt"},
    {K::dir_then_end, "extjs", ".html"},
    {K::dir_then_end, "extjs", ".properties"},
    {K::dir, "extjs/.sencha"},
    {K::dir, "extjs/docs"},
    {K::dir, "extjs/builds"},
    {K::dir, "extjs/cmd"},
    {K::dir, "extjs/examples"},
    {K::dir, "extjs/locale"},
    {K::dir, "extjs/packages"},
    {K::dir, "extjs/plugins"},
    {K::dir, "extjs/resources"},
    {K::dir, "extjs/src"},
    {K::dir, "extjs/welcome"},
    // Html5shiv, test fixtures, Cordova, Foundation js, Vagrant, .DS_Store, R packages
    {K::name, "html5shiv.js"},
    {K::dir, "tests/fixtures"},
    {K::dir, "Tests/fixtures"},
    {K::dir, "test/fixtures"},
    {K::dir, "Test/fixtures"},
    {K::dir, "specs/fixtures"},
    {K::dir, "Specs/fixtures"},
    {K::dir, "spec/fixtures"},
    {K::dir, "Spec/fixtures"},
    {K::name_fix, "cordova", ".js", M::no_dot},
    {K::name_fix, "cordova-", ".js", M::version},
    {K::name, "foundation.js"},
    {K::name_fix, "foundation.", ".js"},
    {K::name, "Vagrantfile"},
    {K::name_nocase, ".ds_store"},
    {K::dir, "vignettes"},
    {K::dir, "inst/extdata"},
    // Octicons, Typesafe Activator, ProGuard, PuPHPet, Android, Jenkins, Gitpod, GitHub
    {K::component, "octicons.css"},
    {K::component, "sprockets-octicons.scss"},
    {K::name, "activator"},
    {K::name, "activator.bat"},
    {K::name, "proguard.pro"},
    {K::name, "proguard-rules.pro"},
    {K::dir, "puphpet"},
    {K::dir, ".google_apis"},
    {K::name, "Jenkinsfile"},
    {K::name, ".gitpod.Dockerfile"},
    {K::dir, ".github"},
};

// documentation.yml
constexpr Rule k_documentation[] = {
    {K::root_dir, "doc"},       {K::root_dir, "docs"},       {K::root_dir, "Doc"},
    {K::root_dir, "Docs"},      {K::dir, "documentation"},   {K::dir, "Documentation"},
    {K::dir, "groovydoc"},      {K::dir, "Groovydoc"},       {K::dir, "javadoc"},
    {K::dir, "Javadoc"},        {K::root_dir, "man"},        {K::root_dir, "Man"},
    {K::root_dir, "examples"},  {K::root_dir, "Examples"},   {K::root_dir, "demo"},
    {K::root_dir, "demos"},     {K::root_dir, "Demo"},       {K::root_dir, "Demos"},
    {K::dir, "inst/doc"},       {K::name, "CITATION"},       {K::name, "CITATIONS"},
    {K::name, "CITATION.cff"},  {K::name, "CITATION.bib"},   {K::name, "CITATION.md"},
    {K::name, "CITATIONS.bib"}, {K::name, "CITATIONS.md"},   {K::name_stem, "CHANGE"},
    {K::name_stem, "CHANGES"},  {K::name_stem, "CHANGELOG"}, {K::name_stem, "CONTRIBUTING"},
    {K::name_stem, "COPYING"},  {K::name_stem, "INSTALL"},   {K::name_stem, "LICENSE"},
    {K::name_stem, "LICENCE"},  {K::name_stem, "License"},   {K::name_stem, "Licence"},
    {K::name_stem, "license"},  {K::name_stem, "licence"},   {K::name_stem, "README"},
    {K::name_stem, "Readme"},   {K::name_stem, "readme"},    {K::root_dir, "sample"},
    {K::root_dir, "samples"},   {K::root_dir, "Sample"},     {K::root_dir, "Samples"},
};

// generated.rb, the rules that need no content
constexpr Rule k_generated[] = {
    {K::end, ".nib"},
    {K::end, ".xcworkspacedata"},
    {K::end, ".xcuserstate"},
    {K::dir, ".idea"},
    {K::dir, "Pods"},
    {K::dir, "Carthage/Build"},
    {K::contains, "__generated__/"},
    {K::end_nocase, ".designer.cs"},
    {K::end_nocase, ".designer.vb"},
    {K::end_nocase, ".feature.cs"},
    {K::contains, "composer.lock"},
    {K::contains, "Cargo.lock"},
    {K::contains, "node_modules/"},
    {K::contains, "Gopkg.lock"},
    {K::contains, "glide.lock"},
    {K::contains, "poetry.lock"},
    {K::name, "esy.lock"},
    {K::name_fix, "", ".esy.lock"},
    {K::contains, "npm-shrinkwrap.json"},
    {K::contains, "package-lock.json"},
    {K::name, ".terraform.lock.hcl"},
    {K::component, ".pnp."},
    {K::contains, "Godeps/"},
    {K::name_fix, "", ".zep.c"},
    {K::name_fix, "", ".zep.h"},
    {K::name_fix, "", ".zep.php"},
    {K::contains, "Pipfile.lock"},
    {K::end_nocase, "_tlb.pas"},
    {K::end_nocase, ".css.map"},
    {K::end_nocase, ".js.map"},
};

// The language tables: printed by scripts/linguist_languages.py from languages.yml,
// heuristics.yml and generic.yml; lower-case extensions and exact file names.
constexpr std::string_view k_code_extensions =
    ".1in .1m .1x .3in .3m .3p .3pm .3qt .3x .4dm .4gl .4th .6pl .6pm .8xk .8xk.txt .8xp "
    ".8xp.txt ._coffee ._js ._ls .a51 .abap .ada .adb .ado .adp .ads .agc .agda .ahk .ahkl "
    ".aidl .aj .al .als .ampl .angelscript .antlers.html .antlers.php .antlers.xml .apib .apl "
    ".app.src .applescript .arc .as .asax .asc .ascx .asd .asddls .ash .ashx .asl .asm .asmx "
    ".asp .aspx .astro .asy .au3 .aug .auk .aux .aw .awk .axd .axi .axi.erb .axs .axs.erb .b "
    ".bal .bas .bash .bat .bats .bb .bbx .bdy .be .befunge .bf .bi .bib .bibtex .bicep .bison "
    ".blade .blade.php .bmx .bones .boo .boot .bpl .bro .brs .bs .bsl .bsv .builder .bzl .c "
    ".c++ .cairo .cake .capnp .cats .cbl .cbx .cc .ccp .cdc .cdf .cds .ceylon .cfc .cfm .cfml "
    ".cgi .cginc .ch .chem .chpl .chs .cirru .cjs .cjsx .ck .cl .cl2 .clar .click .clj .cljc "
    ".cljs .cljs.hl .cljscm .cljx .clp .cls .clw .cmake .cmake.in .cmd .cnc .cob .cobol .cocci "
    ".coffee .coffee.md .com .command .coq .cp .cpp .cps .cpy .cr .cs .csc .csd .csh .cshtml "
    ".css .csx .ctp .cts .cu .cue .cuh .curry .cw .cwl .cxx .cy .d .dart .dats .db2 .dcl .ddl "
    ".decls .dfm .dfy .dhall .di .djs .dlm .dm .do .dockerfile .doh .dpr .druby .dsc .dsl .dsp "
    ".dtx .duby .dwl .dyalog .dyl .dylan .e .ebuild .ec .ecl .eclass .eclxml .ecr .ect .eex .eh "
    ".ejs .ejs.t .el .eliom .eliomi .elm .em .emacs .emacs.desktop .emberscript .env .eps .epsi "
    ".eq .erb .erb.deface .erl .es .es6 .escript .ex .exs .eye .f .f03 .f08 .f77 .f90 .f95 "
    ".factor .fan .fancypack .fcgi .feature .fish .flex .flux .fnc .fnl .for .forth .fp .fpp "
    ".frag .frg .frm .frt .frx .fs .fsh .fshader .fsi .fst .fsti .fsx .fth .ftl .fun .fut .fx "
    ".fxh .fy .g .g4 .gaml .gap .gawk .gco .gcode .gd .gdb .gdbinit .gemspec .geo .geom .gf .gi "
    ".gleam .glf .glsl .glslf .glslv .gml .gms .gnu .gnuplot .go .god .golo .gp .grace .groovy "
    ".grt .gs .gsc .gsh .gshader .gsp .gst .gsx .gtpl .gvy .gyp .gypi .h .h++ .hack .haml "
    ".haml.deface .handlebars .hats .hb .hbs .hc .hcl .hh .hhi .hic .hlean .hlsl .hlsli .hoon "
    ".hpp .hqf .hql .hrl .hs .hs-boot .hsc .hta .htm .html .html.heex .html.hl .html.leex .hx "
    ".hxsl .hxx .hy .i .i3 .i7x .ice .iced .icl .idc .idr .ig .ihlp .ijm .ijs .ik .ily .inc "
    ".inl .ino .ins .intr .io .iol .ipf .ipp .ipynb .isl .iss .ixx .j .j2 .jade .jake .janet "
    ".jav .java .javascript .jbuilder .jflex .jinja .jinja2 .jison .jisonlex .jl .jq .js "
    ".js.erb .jsb .jscad .jsfl .jslib .jsm .jsonnet .jsp .jspre .jss .jst .jsx .kak .kid .kit "
    ".kojo .krl .ksh .ksy .kt .ktm .kts .kv .l .lagda .las .lasso .lasso8 .lasso9 .latte .lbx "
    ".lean .less .lex .lfe .lgt .lhs .libsonnet .lid .lidr .ligo .linq .liquid .lisp .litcoffee "
    ".ll .lmi .logtalk .lol .lookml .lpr .ls .lsl .lslp .lsp .ltx .lua .lvclass .lvlib .lvproj "
    ".ly .m .m2 .m3 .m4 .ma .mak .make .makefile .mako .man .mao .marko .mask .mata .matah "
    ".mathematica .matlab .mawk .maxhelp .maxpat .maxproj .mc .mcfunction .mcr .mdoc .me .metal "
    ".mg .minid .mint .mirah .mjs .mk .mkfile .mkii .mkiv .mkvi .ml .ml4 .mli .mligo .mlir .mll "
    ".mly .mm .mmk .mms .mo .mod .model.lkml .monkey .monkey2 .moo .moon .move .mpl .mps .mq4 "
    ".mq5 .mqh .mrc .ms .msd .mspec .mss .mt .mtml .mts .mu .mud .muf .mumps .mustache .mxt "
    ".myt .n .nas .nasl .nasm .nawk .nb .nbp .nc .ncl .ne .nearley .nf .ni .nim .nim.cfg "
    ".nimble .nimrod .nims .nit .nix .njk .njs .nl .nlogo .nomad .nqp .nr .nse .nsh .nsi .nss "
    ".nu .numpy .numpyw .numsc .nut .ny .odin .ol .omgrofl .ooc .opa .opal .opencl .orc .os .ox "
    ".oxh .oxo .oxygene .oz .p .p4 .p6 .p6l .p6m .p8 .pac .pan .parrot .pas .pascal .pasm .pat "
    ".pb .pbi .pbt .pck .pcss .pd_lua .pde .pegjs .pep .per .perl .pfa .pgsql .ph .php .php3 "
    ".php4 .php5 .phps .phpt .phtml .pic .pig .pike .pir .pkb .pks .pl .pl6 .plb .plot .pls "
    ".plsql .plt .pluginspec .plx .pm .pm6 .pml .pmod .podsl .podspec .pogo .pony .por .postcss "
    ".pov .pp .pprx .prawn .prc .prg .pri .pro .prolog .prw .ps .ps1 .psc .psd1 .psgi .psm1 "
    ".pug .purs .pwn .pxd .pxi .py .py3 .pyde .pyi .pyp .pyt .pyw .pyx .q .qasm .qbs .ql .qll "
    ".qml .qs .r .r2 .r3 .rabl .rake .raku .rakumod .raml .razor .rb .rbbas .rbfrm .rbi .rbmnu "
    ".rbres .rbtbar .rbuild .rbuistate .rbw .rbx .rbxs .rchit .rd .re .reb .rebol .red .reds "
    ".rego .rei .religo .res .rex .rexx .rg .rhtml .ring .riot .rkt .rktd .rktl .rl .rmiss .rnh "
    ".rno .robot .rockspec .roff .rpgle .rpy .rs .rs.in .rsc .rsh .rsx .rtf .ru .ruby .s .sage "
    ".sagews .sas .sass .sats .sbt .sc .scad .scala .scaml .scd .sce .sch .sci .scm .sco .scpt "
    ".scrbl .scss .sed .self .sexp .sh .sh-session .sh.in .shader .shen .sieve .sig .sj .sjs "
    ".sl .sld .slim .sls .sma .smali .smk .sml .smt .smt2 .snip .snippet .snippets .soy .sp "
    ".spc .spec .spin .sps .sqf .sqlrpgle .sra .srt .sru .srw .ss .ssjs .sss .st .stan .star "
    ".sthlp .story .sty .styl .sv .svelte .svh .swift .t .tac .talon .tcc .tcl .tcl.in .tcsh "
    ".tea .tesc .tese .tex .tf .tfvars .thor .thrift .thy .tla .tm .tmac .tmux .toc .tool .tpb "
    ".tpl .tpp .tps .trg .ts .tst .tsx .tu .twig .txl .uc .udo .uno .upc .ur .urs .v .vala "
    ".vapi .vark .vb .vba .vbhtml .vbs .vcl .veo .vert .vh .vhd .vhdl .vhf .vhi .vho .vhs .vht "
    ".vhw .view.lkml .vim .vimrc .vmb .volt .vrx .vsh .vshader .vtl .vue .vw .vy .w .wast .wat "
    ".watchr .wdl .webidl .whiley .wisp .wl .wlk .wlt .wlua .workflow .wren .ws .wsgi .x .x10 "
    ".x68 .xc .xht .xhtml .xi .xm .xojo_code .xojo_menu .xojo_report .xojo_script .xojo_toolbar "
    ".xojo_window .xpl .xproc .xpy .xq .xql .xqm .xquery .xqy .xrl .xs .xsh .xsjs .xsjslib .xsl "
    ".xslt .xtend .xzap .y .yacc .yap .yar .yara .yasnippet .yrl .yul .yy .zap .zeek .zep .zig "
    ".zil .zimpl .zmpl .zpl .zs .zsh .zsh-theme ";

constexpr std::string_view k_other_extensions =
    ".1 .2 .2da .3 .4 .4dform .4dproject .5 .6 .7 .8 .9 .abnf .adml .admx .adoc .afm .anim .ant "
    ".apacheconf .arpa .asciidoc .asn .asn1 .asset .avdl .avsc .axaml .axml .bdf .brd .builds "
    ".c++-objdump .c++objdump .c-objdump .cabal .ccproj .ccxml .cfg .cil .clixml .cmp "
    ".code-snippets .conll .conllu .cpp-objdump .cppobjdump .cproject .cql .crc32 .creole "
    ".cscfg .csdef .csl .cson .csproj .csv .ct .cxx-objdump .d-objdump .dae .darcspatch "
    ".depproj .desktop .desktop.in .diff .dircolors .dita .ditamap .ditaval .dll.config .dof "
    ".dot .dotsettings .dpatch .eam.fs .eb .ebnf .edc .edn .eml .epj .fea .filters .flf .fr "
    ".fsproj .fxml .gbl .gbo .gbp .gbr .gbs .ged .geojson .gitconfig .gitignore .gko .glade "
    ".gltf .glyphs .gmx .gn .gni .gpb .gpt .gql .gradle .graphql .graphqls .grxml .gtl .gto "
    ".gtp .gts .gv .har .http .hxml .hzp .iml .ini .irclog .iuml .ivy .jelly .json "
    ".json-tmlanguage .json5 .jsonc .jsonl .jsonld .jsproj .kicad_mod .kicad_pcb .kicad_sch "
    ".kicad_wks .kml .lark .launch .ld .lds .lektorproject .livemd .markdown .mat .mbox .mcmeta "
    ".md .md2 .md4 .md5 .mdown .mdpolicy .mdwn .mdx .mediawiki .meta .mir .mjml .mkd .mkdn "
    ".mkdown .mtl .muse .mxml .mysql .nanorc .natvis .ndproj .neon .nginx .nginxconf .ninja .no "
    ".nproj .nuspec .obj .objdump .odd .org .osm .outjob .owl .patch .pbtxt .pcbdoc .pd "
    ".pkgproj .pkl .plantuml .plist .po .pod .pod6 .pot .prefab .prefs .prisma .prjpcb .proj "
    ".properties .props .proto .ps1xml .psc1 .pt .pub .puml .pytb .qhelp .qmd .raw .rdf .rdoc "
    ".reek .reg .regex .regexp .rest .rest.txt .resx .rmd .ronn .rq .rss .rst .rst.txt .rviz "
    ".schdoc .scxml .service .sfd .sfproj .sha1 .sha2 .sha224 .sha256 .sha256sum .sha3 .sha384 "
    ".sha512 .shproj .sln .snap .sol .sparql .sql .srdf .stl .ston .storyboard .sttheme "
    ".sublime-build .sublime-commands .sublime-completions .sublime-keymap .sublime-macro "
    ".sublime-menu .sublime-mousemap .sublime-project .sublime-settings .sublime-snippet "
    ".sublime-syntax .sublime-theme .sublime-workspace .sublime_metrics .sublime_session .svg "
    ".syntax .tab .targets .te .texi .texinfo .textile .textproto .tfstate .tfstate.backup .tl "
    ".tmcommand .tml .tmlanguage .tmpreferences .tmsnippet .tmtheme .toml .topojson .tsv .ttl "
    ".txi .txt .udf .ui .unity .urdf .url .ux .vbproj .vcxproj .vdf .vhost .viw .vsixmanifest "
    ".vssettings .vstemplate .vtt .vxml .webapp .webmanifest .weechatlog .wiki .wikitext "
    ".wixproj .workbook .wsdl .wsf .wxi .wxl .wxs .x3d .xacro .xaml .xbm .xib .xlf .xliff .xmi "
    ".xml .xml.dist .xmp .xpm .xproj .xsd .xsp-config .xsp.metadata .xspec .xul .yaml "
    ".yaml-tmlanguage .yaml.sed .yang .yml .yml.mysql .yyp .zcml .zone ";

constexpr std::string_view k_code_filenames =
    ".Rprofile .abbrev_defs .bash_aliases .bash_history .bash_logout .bash_profile .bashrc "
    ".cshrc .emacs .emacs.desktop .env .env.example .exrc .factor-boot-rc .factor-rc .flaskenv "
    ".gclient .gnus .gvimrc .irbrc .kshrc .login .luacheckrc .nvimrc .php .php_cs .php_cs.dist "
    ".profile .pryrc .simplecov .spacemacs .vimrc .viper .zlogin .zlogout .zprofile .zshenv "
    ".zshrc 9fs APKBUILD Appraisals BSDmakefile BUCK BUILD BUILD.bazel Berksfile Brewfile "
    "Buildfile CMakeLists.txt Cakefile Capfile Cask Containerfile DEPS Dangerfile Deliverfile "
    "Dockerfile Earthfile Emakefile Fakefile Fastfile GNUmakefile Gemfile Guardfile Jakefile "
    "Jarfile Jenkinsfile Kbuild Lexer.x Makefile Makefile.PL Makefile.am Makefile.boot "
    "Makefile.frag Makefile.in Makefile.inc Makefile.wat Mavenfile Modulefile Notebook Nukefile "
    "PKGBUILD Phakefile Podfile Procfile Project.ede Puppetfile ROOT Rakefile Rexfile "
    "SConscript SConstruct Singularity Slakefile Snakefile Snapfile Steepfile Thorfile Tiltfile "
    "Vagrantfile WORKSPACE _emacs _vimrc abbrev_defs ack bash_aliases bash_logout bash_profile "
    "bashrc buildfile configure.ac cpanfile cshrc descrip.mmk descrip.mms eqnrc expr-dist "
    "gradlew gvimrc installscript.qs kakrc kshrc lexer.x login m3makefile m3overrides makefile "
    "makefile.sco man meson.build meson_options.txt mix.lock mkfile mmn mmt nextflow.config "
    "nim.cfg nvimrc owh profile rebar.config rebar.config.lock rebar.lock riemann.config "
    "starfield toolchain_installscript.qs troffrc troffrc-end vimrc wscript zlogin zlogout "
    "zprofile zshenv zshrc ";

constexpr std::string_view k_other_filenames =
    ".XCompose .arcconfig .atomignore .auto-changelog .babelignore .babelrc .browserslistrc "
    ".bzrignore .c8rc .clang-format .clang-tidy .classpath .coffeelintignore .coveragerc "
    ".cproject .curlrc .cvsignore .devcontainer.json .dir_colors .dircolors .dockerignore "
    ".editorconfig .eleventyignore .eslintignore .eslintrc.json .flake8 .gemrc "
    ".git-blame-ignore-revs .gitattributes .gitconfig .gitignore .gitmodules .gn .htaccess "
    ".htmlhintrc .imgbotconfig .inputrc .jscsrc .jshintrc .jslintrc .markdownlintignore .nanorc "
    ".nodemonignore .npmignore .npmrc .nycrc .prettierignore .project .pylintrc .shellcheckrc "
    ".stylelintignore .tern-config .tern-project .tm_properties .vercelignore .vscodeignore "
    ".watchmanconfig .wgetrc Android.bp App.config CITATION CITATION.cff CITATIONS CODEOWNERS "
    "COPYING COPYING.regex COPYRIGHT.regex Cargo.lock DIR_COLORS FONTLOG Gemfile.lock "
    "Gopkg.lock INSTALL INSTALL.mysql LICENSE LICENSE.mysql MANIFEST.MF MD5SUMS NEWS "
    "NuGet.config Pipfile Pipfile.lock README.me README.mysql README.nss SHA1SUMS SHA256SUMS "
    "SHA256SUMS.txt SHA512SUMS Settings.StyleCop Web.Debug.config Web.Release.config Web.config "
    "XCompose _curlrc _dir_colors _dircolors _redirects ant.xml apache2.conf api-extractor.json "
    "browserslist build.xml buildozer.spec cabal.config cabal.project checksums.txt cksums "
    "click.me composer.lock contents.lr delete.me devcontainer.json dir_colors encodings.dir "
    "file_contexts firestore.rules fonts.alias fonts.dir fonts.scale fp-lib-table "
    "genfs_contexts gitignore-global gitignore_global glide.lock go.mod go.sum haproxy.cfg "
    "httpd.conf initial_sids inputrc jsconfig.json keep.me language-configuration.json "
    "language-subtag-registry.txt ld.script mcmod.info md5sum.txt nanorc nginx.conf "
    "package.mask package.use.mask package.use.stable.mask packages.config poetry.lock pom.xml "
    "port_contexts pylintrc read.me readme.1st robots.txt security_classes ssh-config "
    "ssh_config sshconfig sshconfig.snip sshd-config sshd_config test.me tsconfig.json "
    "tslint.json use.mask use.stable.mask xcompose yarn.lock ";

bool equal_nocase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x + 32);
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y + 32);
    if (x != y) return false;
  }
  return true;
}

bool ends_with(std::string_view text, std::string_view end) {
  return text.size() >= end.size() && text.substr(text.size() - end.size()) == end;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool middle_fits(std::string_view middle, Middle rule) {
  switch (rule) {
    case Middle::any: return true;
    case Middle::no_dot: return middle.find('.') == std::string_view::npos;
    case Middle::version: {
      // \d+(\.\d+)*
      bool digit_expected = true;
      for (char c : middle) {
        if (is_digit(c)) {
          digit_expected = false;
        } else if (c == '.' && !digit_expected) {
          digit_expected = true;
        } else {
          return false;
        }
      }
      return !middle.empty() && !digit_expected;
    }
  }
  return false;
}

// A path split once into what the rules look at.
struct PathParts {
  std::string_view path;
  std::string_view dirs;  // up to and with the last '/', or empty
  std::string_view name;  // after the last '/'
};

PathParts split(std::string_view path) {
  auto slash = path.rfind('/');
  if (slash == std::string_view::npos) return {path, {}, path};
  return {path, path.substr(0, slash + 1), path.substr(slash + 1)};
}

// Where TEXT starts a component: at the start of `text` or after a '/'.
template <class Fn>
bool any_component_start(std::string_view text, std::string_view what, Fn&& fits) {
  for (auto at = text.find(what); at != std::string_view::npos; at = text.find(what, at + 1)) {
    if ((at == 0 || text[at - 1] == '/') && fits(at)) return true;
  }
  return false;
}

bool has_dir(const PathParts& p, std::string_view dir) {
  return any_component_start(p.dirs, dir, [&](std::size_t at) {
    return at + dir.size() < p.dirs.size() && p.dirs[at + dir.size()] == '/';
  });
}

bool matches(const Rule& rule, const PathParts& p) {
  switch (rule.kind) {
    case Kind::dir: return has_dir(p, rule.text);
    case Kind::root_dir:
      return p.dirs.size() > rule.text.size() && p.dirs.substr(0, rule.text.size()) == rule.text &&
             p.dirs[rule.text.size()] == '/';
    case Kind::component:
      return any_component_start(p.path, rule.text, [](std::size_t) { return true; });
    case Kind::name: return p.name == rule.text;
    case Kind::name_nocase: return equal_nocase(p.name, rule.text);
    case Kind::root_name: return p.path == rule.text;
    case Kind::name_stem:
      return p.name.substr(0, rule.text.size()) == rule.text &&
             (p.name.size() == rule.text.size() || p.name[rule.text.size()] == '.');
    case Kind::name_fix:
      return p.name.size() >= rule.text.size() + rule.end.size() &&
             p.name.substr(0, rule.text.size()) == rule.text && ends_with(p.name, rule.end) &&
             middle_fits(p.name.substr(rule.text.size(),
                                       p.name.size() - rule.text.size() - rule.end.size()),
                         rule.middle);
    case Kind::under:
      return ends_with(p.path, rule.end) &&
             any_component_start(p.path, rule.text, [&](std::size_t at) {
               return at + rule.text.size() + rule.end.size() <= p.path.size();
             });
    case Kind::dir_then_end: return ends_with(p.path, rule.end) && has_dir(p, rule.text);
    case Kind::end: return ends_with(p.path, rule.text);
    case Kind::end_nocase:
      return p.path.size() >= rule.text.size() &&
             equal_nocase(p.path.substr(p.path.size() - rule.text.size()), rule.text);
    case Kind::contains: return p.path.find(rule.text) != std::string_view::npos;
  }
  return false;
}

template <std::size_t N>
bool any_rule(const Rule (&rules)[N], const PathParts& p) {
  for (const auto& rule : rules) {
    if (matches(rule, p)) return true;
  }
  return false;
}

// vendor.yml's NuGet rule, (^|/)[Pp]ackages\/.+\.\d+\/: a package folder with its version.
bool nuget_package(const PathParts& p) {
  for (std::string_view packages : {"packages/", "Packages/"}) {
    bool found = any_component_start(p.dirs, packages, [&](std::size_t at) {
      // A later directory that ends in ".<digits>".
      std::string_view rest = p.dirs.substr(at + packages.size());
      for (auto slash = rest.find('/', 1); slash != std::string_view::npos;
           slash = rest.find('/', slash + 1)) {
        std::size_t i = slash;
        while (i > 0 && is_digit(rest[i - 1])) --i;
        if (i < slash && i >= 2 && rest[i - 1] == '.') return true;
      }
      return false;
    });
    if (found) return true;
  }
  return false;
}

// generated.rb's go_vendor?: vendor/ followed by a domain name (vendor/github.com/...).
bool go_vendor(const PathParts& p) {
  constexpr std::array<std::string_view, 9> k_domains = {"com", "edu", "gov", "in", "me",
                                                         "net", "org", "fm",  "io"};
  auto label_char = [](char c) {
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
  };
  std::string_view path = p.path;
  for (auto at = path.find("vendor/"); at != std::string_view::npos;
       at = path.find("vendor/", at + 1)) {
    std::size_t i = at + 7;
    for (;;) {  // one or more labels, each followed by a dot, then a listed domain
      std::size_t start = i;
      while (i < path.size() && label_char(path[i])) ++i;
      if (i == start || i >= path.size() || path[i] != '.' || path[start] == '-' ||
          path[i - 1] == '-')
        break;
      ++i;
      for (auto domain : k_domains) {
        if (path.substr(i, domain.size()) == domain) return true;
      }
    }
  }
  return false;
}

bool vendored(const PathParts& p) {
  return any_rule(k_vendored, p) || nuget_package(p);
}

bool documentation(const PathParts& p) {
  return any_rule(k_documentation, p);
}

bool generated(const PathParts& p) {
  return any_rule(k_generated, p) || go_vendor(p);
}

using WordSet = std::unordered_set<std::string_view>;

WordSet words(std::string_view text) {
  WordSet out;
  while (!text.empty()) {
    auto space = text.find(' ');
    if (space != 0) out.insert(text.substr(0, space));
    if (space == std::string_view::npos) break;
    text.remove_prefix(space + 1);
  }
  return out;
}

struct LanguageTables {
  WordSet code_extensions = words(k_code_extensions);
  WordSet other_extensions = words(k_other_extensions);
  WordSet code_filenames = words(k_code_filenames);
  WordSet other_filenames = words(k_other_filenames);
};

const LanguageTables& languages() {
  static const LanguageTables tables;
  return tables;
}

// Whether Linguist would give the file a programming or markup language, going by its name as
// its Filename and Extension strategies do (file name first; then its extensions in lower case,
// the longest one Linguist knows).
bool is_code_language(std::string_view name) {
  const auto& tables = languages();
  if (tables.code_filenames.count(name) != 0) return true;
  if (tables.other_filenames.count(name) != 0) return false;
  std::string lower(name);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  std::string_view view(lower);
  for (auto dot = view.find('.'); dot != std::string_view::npos; dot = view.find('.', dot + 1)) {
    std::string_view extension = view.substr(dot);
    if (tables.code_extensions.count(extension) != 0) return true;
    if (tables.other_extensions.count(extension) != 0) return false;
  }
  return false;
}

}  // namespace

bool counts(std::string_view path, FileSet set) {
  PathParts parts = split(path);
  if (vendored(parts) || generated(parts)) return false;
  if (set == FileSet::all) return true;
  return !documentation(parts) && is_code_language(parts.name);
}

}  // namespace secondsight::knowledge

// Which files count: Linguist's vendored, generated and documentation paths and languages.
#include <gtest/gtest.h>

#include "secondsight/knowledge/history.hpp"

namespace secondsight::knowledge {
namespace {

TEST(Counts, VendoredPathsCountInNeitherSet) {
  for (const char* path : {"vendor/ortools/routing.py",
                           "src/vendor/lib.c",
                           "Vendor/x.m",
                           "node_modules/a/index.js",
                           "third_party/zlib/inflate.c",
                           "lib/3rd-party/x.cpp",
                           "deps/uv/src/unix.c",
                           "Dependencies/x.h",
                           "web/js/jquery-3.6.0.js",
                           "web/js/jquery.js",
                           "web/js/app.min.js",
                           "types/index.d.ts",
                           "dist/bundle.js",
                           "go/src/testdata/in.go",
                           "debian/rules",
                           "configure",
                           "build-aux/config.guess",
                           "gradlew",
                           ".github/workflows/ci.yml",
                           ".gitignore",
                           "docs/_build/html/index.html",
                           "src/cache/x.py",
                           "packages/Newtonsoft.Json.12.0.1/lib/x.cs",
                           "static/bootstrap.min.css",
                           "static/bootstrap-grid.css",
                           "js/prototypes/app.js",
                           "tests/fixtures/sample.py",
                           "env/lib/site.py",
                           ".vscode/settings.json",
                           "Jenkinsfile"}) {
    EXPECT_FALSE(counts(path, FileSet::all)) << path;
    EXPECT_FALSE(counts(path, FileSet::code)) << path;
  }
}

TEST(Counts, GeneratedPathsCountInNeitherSet) {
  for (const char* path : {"Cargo.lock", "web/package-lock.json", "composer.lock", "poetry.lock",
                           "Pipfile.lock", "infra/.terraform.lock.hcl", "App/Form1.Designer.cs",
                           "x/__generated__/q.graphql", ".idea/workspace.xml", "ios/Pods/x.h",
                           "app.js.map", "Unit1_TLB.pas", "myvendor/golang.org/x/net/http.go"}) {
    EXPECT_FALSE(counts(path, FileSet::all)) << path;
    EXPECT_FALSE(counts(path, FileSet::code)) << path;
  }
}

TEST(Counts, DocumentationIsLeftOutOfCodeOnly) {
  for (const char* path : {"docs/design.md", "doc/api.rst", "README.md", "src/README", "LICENSE",
                           "CHANGELOG.md", "CONTRIBUTING.md", "examples/demo.py",
                           "Documentation/x.c", "man/secondsight.1", "samples/a.c"}) {
    EXPECT_TRUE(counts(path, FileSet::all)) << path;
    EXPECT_FALSE(counts(path, FileSet::code)) << path;
  }
}

TEST(Counts, CodeIsProgrammingAndMarkupLanguagesOnly) {
  for (const char* path :
       {"planner/api.py", "src/main.cpp", "include/a.hpp", "a.H", "main.tf", "cmd/trackd/main.go",
        "web/index.html", "web/site.css", "Makefile", "CMakeLists.txt", "Dockerfile",
        "scripts/build.sh", "types.ts", "lib/x.rs", "db/schema.rb", "page.vue", "src/foo.d.tsx"}) {
    EXPECT_TRUE(counts(path, FileSet::code)) << path;
    EXPECT_TRUE(counts(path, FileSet::all)) << path;
  }
  for (const char* path :
       {"config.yaml", "data.json", "notes.txt", "go.mod", "go.sum", "guide/intro.md",
        "db/init.sql", "image.png", "NOTICE", "x.unknown", "man.1", "Gemfile.lock"}) {
    EXPECT_FALSE(counts(path, FileSet::code)) << path;
    EXPECT_TRUE(counts(path, FileSet::all)) << path;
  }
}

TEST(Counts, RulesMatchWholePathParts) {
  EXPECT_TRUE(counts("src/vendored.py", FileSet::code));    // not a vendor/ directory
  EXPECT_TRUE(counts("src/mydist/a.py", FileSet::code));    // not dist/
  EXPECT_TRUE(counts("project/docs/a.py", FileSet::code));  // docs/ only at the top
  EXPECT_FALSE(counts("docs/a.py", FileSet::code));
  EXPECT_TRUE(counts("src/READMEs.py", FileSet::code));           // README followed by a letter
  EXPECT_TRUE(counts("lib/jquery-plugins/x.py", FileSet::code));  // jquery rules are names
  EXPECT_TRUE(counts("lib/jquery.cookie.js", FileSet::code));     // jquery([^.]*)\.js$
  EXPECT_FALSE(counts("lib/jquery.ui.core.js", FileSet::code));
}

}  // namespace
}  // namespace secondsight::knowledge

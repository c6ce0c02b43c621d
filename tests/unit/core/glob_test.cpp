#include "secondsight/core/glob.hpp"

#include <gtest/gtest.h>

namespace secondsight {
namespace {

TEST(Glob, StarAndQuestionMarkStayWithinASegment) {
  EXPECT_TRUE(glob_match("pay-*", "pay-01"));
  EXPECT_TRUE(glob_match("pay-*", "pay-"));
  EXPECT_FALSE(glob_match("pay-*", "pays-01"));
  EXPECT_TRUE(glob_match("pay-0?", "pay-01"));
  EXPECT_FALSE(glob_match("pay-0?", "pay-0"));
  EXPECT_TRUE(glob_match("*", ""));
  EXPECT_FALSE(glob_match("?", ""));
  EXPECT_TRUE(glob_match("docs/*", "docs/a.md"));
  EXPECT_FALSE(glob_match("docs/*", "docs/a/b.md"));
  EXPECT_FALSE(glob_match("/srv/*", "/srv/a/b"));
  EXPECT_TRUE(glob_match("/srv/*/b", "/srv/a/b"));
  EXPECT_FALSE(glob_match("d?cs", "d/cs"));
  EXPECT_TRUE(glob_match("a*b*c", "axxbyyc"));
  EXPECT_FALSE(glob_match("a*b*c", "axxbyy"));
}

TEST(Glob, DoubleStarSegmentsCrossSegments) {
  EXPECT_TRUE(glob_match("docs/**", "docs/a/b.md"));
  EXPECT_TRUE(glob_match("docs/**", "docs/x"));
  EXPECT_TRUE(glob_match("docs/**", "docs"));
  EXPECT_FALSE(glob_match("docs/**", "src/docs"));
  EXPECT_TRUE(glob_match("**/*.md", "README.md"));
  EXPECT_TRUE(glob_match("**/*.md", "a/b/c.md"));
  EXPECT_FALSE(glob_match("**/*.md", "a/b/c.txt"));
  EXPECT_TRUE(glob_match("a/**/z", "a/z"));
  EXPECT_TRUE(glob_match("a/**/z", "a/b/c/z"));
  EXPECT_FALSE(glob_match("a/**/z", "a/b/c/zz"));
  EXPECT_TRUE(glob_match("**", "anything/at/all"));
  EXPECT_TRUE(glob_match("**", "host-1"));
  // Within a segment two stars are one.
  EXPECT_TRUE(glob_match("pay-**", "pay-01"));
  EXPECT_FALSE(glob_match("pay-**", "pay-01/x"));
}

TEST(Glob, ClassesAndEscapes) {
  EXPECT_TRUE(glob_match("k8s-[abc]", "k8s-b"));
  EXPECT_FALSE(glob_match("k8s-[abc]", "k8s-d"));
  EXPECT_TRUE(glob_match("node[0-9]", "node7"));
  EXPECT_FALSE(glob_match("node[!0-9]", "node7"));
  EXPECT_TRUE(glob_match("node[^0-9]", "nodex"));
  EXPECT_TRUE(glob_match("[]]", "]"));
  EXPECT_TRUE(glob_match("a[", "a["));  // not closed: an ordinary character
  EXPECT_TRUE(glob_match("\\*", "*"));
  EXPECT_FALSE(glob_match("\\*", "x"));
  EXPECT_TRUE(glob_match("[\\]]", "]"));
}

TEST(Glob, CaseFoldsOnlyWhenAsked) {
  EXPECT_FALSE(glob_match("README.md", "readme.md"));
  EXPECT_TRUE(glob_match("README.md", "readme.md", GlobCase::fold));
  EXPECT_TRUE(glob_match("user_*", "USER_LOGIN", GlobCase::fold));
  EXPECT_TRUE(glob_match("[a-c]x", "Bx", GlobCase::fold));
  EXPECT_FALSE(glob_match("[a-c]x", "Bx"));
}

TEST(Glob, DocumentationPaths) {
  EXPECT_TRUE(glob_match("docs/**", "docs/a/b.md"));
  EXPECT_TRUE(glob_match("docs/**", "docs/x"));
  EXPECT_FALSE(glob_match("docs/**", "src/docs"));
  EXPECT_TRUE(glob_match("**/*.md", "README.md"));
  EXPECT_TRUE(glob_match("**/*.md", "a/b/c.md"));
  EXPECT_FALSE(glob_match("**/*.md", "a/b/c.mdx"));
  EXPECT_FALSE(glob_match("*.md", "a/README.md"));
  EXPECT_TRUE(glob_match("runbooks/*.txt", "runbooks/deploy.txt"));
  EXPECT_TRUE(glob_match("doc?/[a-c]*.md", "docs/b1.md"));
  EXPECT_FALSE(glob_match("doc?/[!a-c]*.md", "docs/b1.md"));
  EXPECT_TRUE(glob_match("**/guide/**", "x/guide/y/z"));
}

}  // namespace
}  // namespace secondsight

#include "csv.h"

#include <gtest/gtest.h>

namespace plaza::catalog::csv {
namespace {

TEST(Csv, QuotedFieldsNewlinesQuotesCrlfAndBom) {
  const ParseResult parsed = Parse(
      "\xEF\xBB\xBF"
      "a,b,c\r\n\"x, y\",\"line1\nline2\",\"say \"\"hi\"\"\"\r\n\r\n1,,3\n",
      100, 100);
  ASSERT_TRUE(parsed.fatal.empty());
  ASSERT_EQ(parsed.records.size(), 3u);
  EXPECT_EQ(parsed.records[0].fields, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(parsed.records[1].fields, (std::vector<std::string>{"x, y", "line1\nline2", "say \"hi\""}));
  EXPECT_EQ(parsed.records[1].number, 2u);
  EXPECT_EQ(parsed.records[2].fields, (std::vector<std::string>{"1", "", "3"}));
  EXPECT_EQ(parsed.records[2].number, 3u);
  EXPECT_EQ(Parse("a,\n", 10, 10).records[0].fields, (std::vector<std::string>{"a", ""}));
}

TEST(Csv, MalformedInputIsReportedWhere) {
  const ParseResult stray = Parse("a,b\nx,y\"z\n", 10, 100);
  ASSERT_EQ(stray.records.size(), 2u);
  EXPECT_EQ(stray.records[1].error, "a quote inside an unquoted field");
  EXPECT_EQ(stray.records[1].error_field, 1u);
  const ParseResult after = Parse("\"a\"b,c\n", 10, 100);
  EXPECT_EQ(after.records[0].error, "text after a closing quote");
  const ParseResult open = Parse("a\n\"never closed\n", 10, 100);
  EXPECT_EQ(open.fatal, "a quoted field is never closed");
  EXPECT_EQ(open.fatal_record, 2u);
  const ParseResult huge = Parse("a\n" + std::string(200, 'x') + "\n", 10, 100);
  EXPECT_EQ(huge.fatal_record, 2u);
  const ParseResult many = Parse("a\nb\nc\nd\n", 3, 100);
  EXPECT_EQ(many.fatal_record, 4u);
}

TEST(Csv, WritesAndNeutralisesFormulas) {
  std::string out;
  AppendField(out, "plain");
  out += ',';
  AppendField(out, "a \"quoted\", text\n");
  EXPECT_EQ(out, "plain,\"a \"\"quoted\"\", text\n\"");
  for (const char* formula : {"=1+1", "+1", "-1", "@SUM(A1)", "\tx"}) {
    EXPECT_TRUE(LooksLikeFormula(formula));
    EXPECT_EQ(NeutraliseFormula(formula), std::string("'") + formula);
    EXPECT_EQ(StripNeutraliser(NeutraliseFormula(formula)), formula);
  }
  EXPECT_EQ(NeutraliseFormula("'=x"), "''=x");
  EXPECT_EQ(StripNeutraliser("''=x"), "'=x");
  EXPECT_EQ(NeutraliseFormula("it's"), "it's");
}

}  // namespace
}  // namespace plaza::catalog::csv

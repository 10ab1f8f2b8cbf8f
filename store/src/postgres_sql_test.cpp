#include "postgres_sql.h"

#include <gtest/gtest.h>

#include "drivers.h"

namespace plaza::store {
namespace {

std::string Numbered(std::string_view sql) {
  return NumberPlaceholders(sql).text;
}

TEST(NumberPlaceholdersTest, NumbersEachPlaceholderInOrder) {
  const NumberedSql numbered = NumberPlaceholders("INSERT INTO t (a, b, c) VALUES (?, ?,?)");
  EXPECT_EQ(numbered.text, "INSERT INTO t (a, b, c) VALUES ($1, $2,$3)");
  EXPECT_EQ(numbered.parameter_count, 3);
}

TEST(NumberPlaceholdersTest, LeavesStatementsWithoutPlaceholdersAlone) {
  const NumberedSql numbered = NumberPlaceholders("SELECT 1");
  EXPECT_EQ(numbered.text, "SELECT 1");
  EXPECT_EQ(numbered.parameter_count, 0);
}

TEST(NumberPlaceholdersTest, NumbersPastNine) {
  EXPECT_EQ(Numbered("VALUES (?,?,?,?,?,?,?,?,?,?,?)"), "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)");
}

TEST(NumberPlaceholdersTest, KeepsCastsNextToPlaceholders) {
  EXPECT_EQ(Numbered("SELECT ?::bigint, (?)::text"), "SELECT $1::bigint, ($2)::text");
}

TEST(NumberPlaceholdersTest, SkipsStringLiterals) {
  EXPECT_EQ(Numbered("SELECT '?', ? WHERE a = 'what?'"), "SELECT '?', $1 WHERE a = 'what?'");
}

TEST(NumberPlaceholdersTest, SkipsDoubledQuotesInsideStrings) {
  EXPECT_EQ(Numbered("SELECT 'it''s ?', ?"), "SELECT 'it''s ?', $1");
}

TEST(NumberPlaceholdersTest, SkipsEscapeStringsWithBackslashQuotes) {
  EXPECT_EQ(Numbered(R"(SELECT E'a\'?', ?)"), R"(SELECT E'a\'?', $1)");
  EXPECT_EQ(Numbered(R"(SELECT e'\\', ?)"), R"(SELECT e'\\', $1)");
}

TEST(NumberPlaceholdersTest, TreatsBackslashLiterallyInStandardStrings) {
  // standard_conforming_strings (on since PostgreSQL 9.1): 'a\' is a complete string.
  EXPECT_EQ(Numbered(R"(SELECT 'a\', ?)"), R"(SELECT 'a\', $1)");
}

TEST(NumberPlaceholdersTest, ATypeNameEndingInEIsNotAnEscapeStringPrefix) {
  // name'\' is a typed literal holding one backslash, not the escape string E'\'…
  EXPECT_EQ(Numbered(R"(SELECT name'\', ?)"), R"(SELECT name'\', $1)");
}

TEST(NumberPlaceholdersTest, SkipsQuotedIdentifiers) {
  EXPECT_EQ(Numbered(R"(SELECT "odd?name", "a""?" FROM t WHERE x = ?)"),
            R"(SELECT "odd?name", "a""?" FROM t WHERE x = $1)");
}

TEST(NumberPlaceholdersTest, SkipsLineComments) {
  EXPECT_EQ(Numbered("SELECT ? -- really?\n, ?"), "SELECT $1 -- really?\n, $2");
  EXPECT_EQ(Numbered("SELECT ? -- trailing?"), "SELECT $1 -- trailing?");
}

TEST(NumberPlaceholdersTest, SkipsNestedBlockComments) {
  EXPECT_EQ(Numbered("SELECT /* a? /* b? */ c? */ ?"), "SELECT /* a? /* b? */ c? */ $1");
}

TEST(NumberPlaceholdersTest, SkipsDollarQuotedStrings) {
  EXPECT_EQ(Numbered("SELECT $$?$$, $fn$ x? $$ y? $fn$, ?"), "SELECT $$?$$, $fn$ x? $$ y? $fn$, $1");
}

TEST(NumberPlaceholdersTest, ADollarInsideAnIdentifierIsNotAQuote) {
  EXPECT_EQ(Numbered("SELECT a$b$ FROM t WHERE c = ?"), "SELECT a$b$ FROM t WHERE c = $1");
}

TEST(NumberPlaceholdersTest, UnterminatedQuotesSwallowTheRestForTheServerToReject) {
  EXPECT_EQ(Numbered("SELECT 'open ?"), "SELECT 'open ?");
  EXPECT_EQ(Numbered("SELECT /* open ?"), "SELECT /* open ?");
}

TEST(ErrorForSqlStateTest, MapsConstraintViolationsToTypedErrors) {
  EXPECT_EQ(ErrorForSqlState("23505", "dup").code, ErrorCode::kConflict);
  EXPECT_EQ(ErrorForSqlState("23505", "dup").type, "db/unique-violation");
  EXPECT_EQ(ErrorForSqlState("23503", "fk").type, "db/foreign-key-violation");
  EXPECT_EQ(ErrorForSqlState("23502", "null").code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(ErrorForSqlState("23514", "check").type, "db/constraint-violation");
}

TEST(ErrorForSqlStateTest, SerializationFailureAndDeadlockAreRetryable) {
  EXPECT_TRUE(IsRetryable(ErrorForSqlState("40001", "could not serialize")));
  EXPECT_TRUE(IsRetryable(ErrorForSqlState("40P01", "deadlock detected")));
}

TEST(ErrorForSqlStateTest, TimeoutsAndOutagesAreUnavailableNotRetried) {
  for (const char* sqlstate : {"55P03", "57014", "57P01", "08006", "53300"}) {
    const Error error = ErrorForSqlState(sqlstate, "message");
    EXPECT_EQ(error.code, ErrorCode::kUnavailable) << sqlstate;
    EXPECT_FALSE(IsRetryable(error)) << sqlstate;
  }
  EXPECT_NE(ErrorForSqlState("55P03", "m").detail.find("lock_timeout"), std::string::npos);
  EXPECT_NE(ErrorForSqlState("57014", "m").detail.find("statement_timeout"), std::string::npos);
}

TEST(ErrorForSqlStateTest, AnythingElseIsInternalWithTheServerMessage) {
  const Error error = ErrorForSqlState("42P01", "relation \"nope\" does not exist");
  EXPECT_EQ(error.code, ErrorCode::kInternal);
  EXPECT_NE(error.detail.find("relation \"nope\" does not exist"), std::string::npos);
}

TEST(DecodeByteaHexTest, DecodesTheHexForm) {
  EXPECT_EQ(DecodeByteaHex("\\x"), std::string());
  EXPECT_EQ(DecodeByteaHex("\\x00ff41"), std::string("\0\xff"
                                                     "A",
                                                     3));
  EXPECT_EQ(DecodeByteaHex("\\xDEad"), std::string("\xde\xad", 2));
}

TEST(DecodeByteaHexTest, RejectsAnythingElse) {
  EXPECT_FALSE(DecodeByteaHex("plain").has_value());
  EXPECT_FALSE(DecodeByteaHex("\\x0").has_value());
  EXPECT_FALSE(DecodeByteaHex("\\xzz").has_value());
}

}  // namespace
}  // namespace plaza::store

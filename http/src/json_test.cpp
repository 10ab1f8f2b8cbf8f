#include "plaza/http/json.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <limits>

namespace plaza::http {
namespace {

Request JsonRequest(std::string body, std::string content_type = "application/json") {
  Request request;
  request.method = Method::kPost;
  request.headers.Add("Content-Type", std::move(content_type));
  request.body = std::move(body);
  return request;
}

boost::json::object Object(std::string_view json) {
  return boost::json::parse(json).as_object();
}

TEST(ParseJsonObjectTest, ParsesAnObject) {
  Result<boost::json::object> body = ParseJsonObject(JsonRequest(R"({"a": 1})"));
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(body->at("a"), 1);
}

TEST(ParseJsonObjectTest, AcceptsJsonMediaTypeVariants) {
  for (std::string type : {"application/json; charset=utf-8", "Application/JSON", "application/merge-patch+json",
                           "application/json;charset=\"UTF-8\""}) {
    EXPECT_TRUE(ParseJsonObject(JsonRequest("{}", type)).ok()) << type;
  }
}

TEST(ParseJsonObjectTest, WrongContentTypeIs415) {
  for (std::string type :
       {"text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin1", "application/+json"}) {
    Result<boost::json::object> body = ParseJsonObject(JsonRequest("{}", type));
    ASSERT_FALSE(body.ok()) << type;
    EXPECT_EQ(body.error().type, "http/unsupported-media-type");
  }
  Request request;
  request.body = "{}";
  EXPECT_EQ(ParseJsonObject(request).error().type, "http/unsupported-media-type");
}

TEST(ParseJsonObjectTest, MalformedReportsTheByteOffset) {
  Result<boost::json::object> body = ParseJsonObject(std::string_view(R"({"a": 1,, "b": 2})"));
  ASSERT_FALSE(body.ok());
  EXPECT_EQ(body.error().type, "json/malformed");
  EXPECT_NE(body.error().detail.find("at byte 8"), std::string::npos) << body.error().detail;
}

TEST(ParseJsonObjectTest, TrailingGarbageAndEmptyBodiesAreMalformed) {
  EXPECT_EQ(ParseJsonObject(std::string_view(R"({"a":1} x)")).error().type, "json/malformed");
  EXPECT_EQ(ParseJsonObject(std::string_view("")).error().type, "json/malformed");
  EXPECT_EQ(ParseJsonObject(std::string_view("  \n")).error().type, "json/malformed");
  EXPECT_EQ(ParseJsonObject(std::string_view(R"({"a": "unterminated)")).error().type, "json/malformed");
}

TEST(ParseJsonObjectTest, InvalidUtf8IsRejectedBeforeParsing) {
  Result<boost::json::object> body = ParseJsonObject(std::string_view("{\"name\": \"\xC3\x28\"}"));
  ASSERT_FALSE(body.ok());
  EXPECT_EQ(body.error().type, "json/invalid-utf8");
}

TEST(ParseJsonObjectTest, LoneSurrogateEscapeIsMalformed) {
  EXPECT_EQ(ParseJsonObject(std::string_view(R"({"a": "\ud800"})")).error().type, "json/malformed");
}

TEST(ParseJsonObjectTest, TopLevelMustBeAnObject) {
  for (std::string_view json : {"[1,2]", "42", "\"x\"", "null"}) {
    EXPECT_EQ(ParseJsonObject(json).error().type, "json/not-an-object") << json;
  }
}

TEST(ParseJsonObjectTest, DepthIsLimited) {
  std::string deep;
  for (int i = 0; i < 30; ++i) deep += "{\"a\":";
  deep += "1";
  for (int i = 0; i < 30; ++i) deep += "}";
  EXPECT_EQ(ParseJsonObject(std::string_view(deep)).error().type, "json/too-deep");
  EXPECT_TRUE(ParseJsonObject(std::string_view(deep), JsonParseLimits{.max_depth = 40}).ok());
}

TEST(JsonReaderTest, RequiredStringErrorsCarryThePointer) {
  boost::json::object body = Object(R"({"name": 5, "empty": null})");
  JsonReader reader(body);
  Error type = reader.RequiredString("name").error();
  EXPECT_EQ(type.type, "validation/type");
  EXPECT_EQ(type.field, "/name");
  Error missing = reader.RequiredString("email").error();
  EXPECT_EQ(missing.type, "validation/required");
  EXPECT_EQ(missing.field, "/email");
  EXPECT_EQ(reader.RequiredString("empty").error().type, "validation/required");
}

TEST(JsonReaderTest, StringLengthCountsCodePoints) {
  boost::json::object body = Object(R"({"name": "Café", "blank": ""})");
  JsonReader reader(body);
  EXPECT_EQ(reader.RequiredString("name", {.max_length = 4}).value(), "Café");
  Error too_long = reader.RequiredString("name", {.max_length = 3}).error();
  EXPECT_EQ(too_long.type, "validation/length");
  EXPECT_EQ(reader.RequiredString("blank", {.min_length = 1}).error().type, "validation/length");
}

TEST(JsonReaderTest, ControlCharactersAreRejectedUnlessMultiline) {
  boost::json::object body = Object(R"({"title": "a\u0000b", "note": "line\nline\ttab", "c1": "x\u0085"})");
  JsonReader reader(body);
  EXPECT_EQ(reader.RequiredString("title").error().type, "validation/control-character");
  EXPECT_EQ(reader.RequiredString("note").error().type, "validation/control-character");
  EXPECT_TRUE(reader.RequiredString("note", {.multiline = true}).ok());
  EXPECT_EQ(reader.RequiredString("title", {.multiline = true}).error().type, "validation/control-character");
  EXPECT_EQ(reader.RequiredString("c1").error().type, "validation/control-character");
}

TEST(JsonReaderTest, OptionalReadersTreatNullAsAbsent) {
  boost::json::object body = Object(R"({"a": null, "b": "x", "n": 3, "f": true})");
  JsonReader reader(body);
  EXPECT_EQ(reader.OptionalString("a").value(), std::nullopt);
  EXPECT_EQ(reader.OptionalString("missing").value(), std::nullopt);
  EXPECT_EQ(reader.OptionalString("b").value(), "x");
  EXPECT_EQ(reader.OptionalInt64("n", 0, 10).value(), 3);
  EXPECT_EQ(reader.OptionalBool("f").value(), true);
  EXPECT_EQ(reader.OptionalBool("b").error().type, "validation/type");
}

TEST(JsonReaderTest, IntegersWithRange) {
  boost::json::object body =
      Object(R"({"qty": 5, "neg": -3, "big": 18446744073709551615, "frac": 2.5, "whole": 3.0, "text": "5"})");
  JsonReader reader(body);
  EXPECT_EQ(reader.RequiredInt64("qty", 1, 10).value(), 5);
  EXPECT_EQ(reader.RequiredInt64("qty", 6, 10).error().type, "validation/range");
  EXPECT_EQ(reader.RequiredInt64("neg", 0, 10).error().type, "validation/range");
  EXPECT_EQ(reader.RequiredInt64("big", 0, std::numeric_limits<std::int64_t>::max()).error().type, "validation/range");
  EXPECT_EQ(reader.RequiredInt64("frac", 0, 10).error().type, "validation/type");
  EXPECT_EQ(reader.RequiredInt64("whole", 0, 10).error().type, "validation/type");
  EXPECT_EQ(reader.RequiredInt64("text", 0, 10).error().type, "validation/type");
  EXPECT_EQ(reader.RequiredInt64("text", 0, 10).error().field, "/text");
}

TEST(JsonReaderTest, Booleans) {
  boost::json::object body = Object(R"({"yes": true, "one": 1})");
  JsonReader reader(body);
  EXPECT_TRUE(reader.RequiredBool("yes").value());
  EXPECT_EQ(reader.RequiredBool("one").error().type, "validation/type");
  EXPECT_EQ(reader.RequiredBool("none").error().type, "validation/required");
}

TEST(JsonReaderTest, EmailShape) {
  boost::json::object body = Object(R"({
    "ok": "  Ada.Lovelace+shop@Example.COM ", "idn": "ana@bücher.de",
    "no_at": "ada.example.com", "no_dot": "ada@localhost", "space": "a da@example.com",
    "dots": "ada..l@example.com", "label": "ada@-example.com", "two_at": "a@b@example.com"})");
  JsonReader reader(body);
  EXPECT_EQ(reader.RequiredEmail("ok").value(), "Ada.Lovelace+shop@example.com");
  EXPECT_TRUE(reader.RequiredEmail("idn").ok());
  for (std::string_view key : {"no_at", "no_dot", "space", "dots", "label", "two_at"}) {
    Result<std::string> email = reader.RequiredEmail(key);
    ASSERT_FALSE(email.ok()) << key;
    EXPECT_EQ(email.error().type, "validation/format") << key;
    EXPECT_EQ(email.error().field, "/" + std::string(key));
  }
  EXPECT_EQ(reader.OptionalEmail("absent").value(), std::nullopt);
}

TEST(JsonReaderTest, NestedObjectsExtendThePointer) {
  boost::json::object body = Object(R"({"address": {"city": 7}, "a/b": {"c~d": {}}})");
  JsonReader reader(body);
  Result<JsonReader> address = reader.RequiredObject("address");
  ASSERT_TRUE(address.ok());
  Error error = address->RequiredString("city").error();
  EXPECT_EQ(error.field, "/address/city");
  Result<JsonReader> escaped = reader.RequiredObject("a/b");
  ASSERT_TRUE(escaped.ok());
  EXPECT_EQ(escaped->PointerTo("c~d"), "/a~1b/c~0d");
  EXPECT_EQ(reader.RequiredObject("missing").error().type, "validation/required");
  EXPECT_EQ(reader.OptionalObject("missing").value(), std::nullopt);
}

TEST(JsonReaderTest, ArraysAreBounded) {
  boost::json::object body = Object(R"({"tags": ["a", "b", "c"], "notes": "x"})");
  JsonReader reader(body);
  EXPECT_EQ(reader.RequiredArray("tags", 3).value()->size(), 3u);
  EXPECT_EQ(reader.RequiredArray("tags", 2).error().type, "validation/length");
  EXPECT_EQ(reader.RequiredArray("notes", 2).error().type, "validation/type");
}

TEST(JsonReaderTest, AllowOnlyNamesTheUnknownField) {
  boost::json::object body = Object(R"({"name": "x", "nmae": "y"})");
  JsonReader reader(body);
  Status status = reader.AllowOnly({"name", "email"});
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().type, "validation/unknown-field");
  EXPECT_EQ(status.error().field, "/nmae");
  EXPECT_TRUE(reader.AllowOnly({"name", "nmae"}).ok());
}

}  // namespace
}  // namespace plaza::http

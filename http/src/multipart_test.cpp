#include "plaza/http/multipart.h"

#include <gtest/gtest.h>

namespace plaza::http {
namespace {

constexpr std::string_view kType = "multipart/form-data; boundary=----PlazaBoundary7MA4YWxk";

// A body as Chromium sends it: a file field and a text field.
std::string BrowserBody(std::string_view file_bytes) {
  return "------PlazaBoundary7MA4YWxk\r\n"
         "Content-Disposition: form-data; name=\"file\"; filename=\"beach.jpg\"\r\n"
         "Content-Type: image/jpeg\r\n"
         "\r\n" +
         std::string(file_bytes) +
         "\r\n"
         "------PlazaBoundary7MA4YWxk\r\n"
         "Content-Disposition: form-data; name=\"alt\"\r\n"
         "\r\n"
         "Sunset at the beach\r\n"
         "------PlazaBoundary7MA4YWxk--\r\n";
}

std::string ErrorOf(std::string_view content_type, std::string_view body, const MultipartLimits& limits = {}) {
  auto form = ParseMultipartFormData(content_type, body, limits);
  if (form.ok()) return "ok";
  return form.error().type + ": " + form.error().detail;
}

void ExpectBad(std::string_view body, std::string_view detail_part, const MultipartLimits& limits = {}) {
  auto form = ParseMultipartFormData(kType, body, limits);
  ASSERT_FALSE(form.ok()) << "accepted: " << body;
  EXPECT_EQ(form.error().type, "http/bad-multipart");
  EXPECT_NE(form.error().detail.find(detail_part), std::string::npos) << form.error().detail;
}

TEST(MultipartTest, ReadsABrowsersFileUploadWithoutCopyingItsBytes) {
  // Binary content, including CR, LF, NUL and a dash run that is not a delimiter.
  constexpr char kJpegLike[] = "\xFF\xD8\xFF\0\r\n--not-the-boundary\r\n\r\n\xFF\xD9";
  const std::string file(kJpegLike, sizeof kJpegLike - 1);
  const std::string body = BrowserBody(file);
  auto form = ParseMultipartFormData(kType, body);
  ASSERT_TRUE(form.ok()) << form.error().detail;
  ASSERT_EQ(form->parts.size(), 2u);
  const MultipartPart* upload = form->Find("file");
  ASSERT_NE(upload, nullptr);
  EXPECT_EQ(upload->filename, "beach.jpg");
  EXPECT_EQ(upload->content_type, "image/jpeg");
  EXPECT_EQ(upload->body, file);
  EXPECT_GE(upload->body.data(), body.data());
  EXPECT_LT(upload->body.data(), body.data() + body.size());
  const MultipartPart* alt = form->Find("alt");
  ASSERT_NE(alt, nullptr);
  EXPECT_EQ(alt->filename, std::nullopt);
  EXPECT_EQ(alt->content_type, "text/plain");
  EXPECT_EQ(alt->body, "Sunset at the beach");
  EXPECT_EQ(form->Find("missing"), nullptr);
}

TEST(MultipartTest, QuotedBoundaryPreambleEpilogueAndEmptyParts) {
  const std::string body =
      "This is a preamble.\r\n"
      "--a'b(c)+_,-./:=?\r\n"
      "content-disposition: FORM-DATA; NAME=empty\r\n"
      "\r\n"
      "\r\n"
      "--a'b(c)+_,-./:=? \t\r\n"
      "Content-Disposition: form-data; name=\"q\"; filename=\"a \\\"b\\\".png\"\r\n"
      "\r\n"
      "x\r\n"
      "--a'b(c)+_,-./:=?--\r\n"
      "and an epilogue";
  auto form = ParseMultipartFormData("Multipart/Form-Data; boundary=\"a'b(c)+_,-./:=?\"; charset=utf-8", body);
  ASSERT_TRUE(form.ok()) << form.error().detail;
  ASSERT_EQ(form->parts.size(), 2u);
  EXPECT_EQ(form->parts[0].name, "empty");
  EXPECT_EQ(form->parts[0].body, "");
  EXPECT_EQ(form->parts[1].filename, "a \"b\".png");
  EXPECT_EQ(form->parts[1].body, "x");
}

TEST(MultipartTest, AFormWithNoPartsIsEmpty) {
  auto form = ParseMultipartFormData(kType, "------PlazaBoundary7MA4YWxk--\r\n");
  ASSERT_TRUE(form.ok()) << form.error().detail;
  EXPECT_TRUE(form->parts.empty());
}

TEST(MultipartTest, TheContentTypeMustBeFormDataWithAGoodBoundary) {
  EXPECT_EQ(ErrorOf("application/json", "{}").substr(0, 27), "http/unsupported-media-type");
  EXPECT_EQ(ErrorOf("multipart/mixed; boundary=x", "").substr(0, 27), "http/unsupported-media-type");
  EXPECT_NE(ErrorOf("multipart/form-data", "").find("no boundary"), std::string::npos);
  EXPECT_NE(ErrorOf("multipart/form-data; boundary=", "").find("http/bad-multipart"), std::string::npos);
  EXPECT_NE(ErrorOf("multipart/form-data; boundary=" + std::string(71, 'b'), "").find("longer than 70"),
            std::string::npos);
  EXPECT_NE(ErrorOf("multipart/form-data; boundary=\"a\\\"b\"", "").find("does not allow"), std::string::npos);
  EXPECT_NE(ErrorOf("multipart/form-data; boundary=\"ab \"", "").find("ends with a space"), std::string::npos);
  EXPECT_NE(ErrorOf("multipart/form-data; boundary=\"unterminated", "").find("cannot be read"), std::string::npos);
}

TEST(MultipartTest, TruncatedBodiesAreRefused) {
  const std::string body = BrowserBody("pixels");
  ExpectBad("", "no part starts with the boundary");
  ExpectBad("just text", "no part starts with the boundary");
  ExpectBad(body.substr(0, body.size() - 4), "without the closing boundary");
  ExpectBad(body.substr(0, body.find("Sunset")), "never ends");
  ExpectBad(body.substr(0, 60), "never ends");
  ExpectBad("------PlazaBoundary7MA4YWxk", "without the closing boundary");
}

TEST(MultipartTest, BareLineFeedsAreRefused) {
  ExpectBad(
      "------PlazaBoundary7MA4YWxk\n"
      "Content-Disposition: form-data; name=\"a\"\n\nx\n------PlazaBoundary7MA4YWxk--\n",
      "followed by other text");
}

TEST(MultipartTest, EveryPartNeedsAFormDataDispositionWithAName) {
  const std::string start = "------PlazaBoundary7MA4YWxk\r\n";
  const std::string end = "\r\n\r\nx\r\n------PlazaBoundary7MA4YWxk--\r\n";
  ExpectBad(start + "\r\nx\r\n------PlazaBoundary7MA4YWxk--", "has no headers");
  ExpectBad(start + "Content-Type: text/plain" + end, "no Content-Disposition");
  ExpectBad(start + "Content-Disposition: attachment; name=\"a\"" + end, "is not form-data");
  ExpectBad(start + "Content-Disposition: form-data" + end, "no field name");
  ExpectBad(start + "Content-Disposition: form-data; name=\"\"" + end, "no field name");
  ExpectBad(start + "Content-Disposition: form-data; name=\"a" + end, "cannot be read");
  ExpectBad(start + "Content-Disposition: form-data; name" + end, "cannot be read");
  ExpectBad(start + "Content-Disposition: form-data; name=\"\xC3\x28\"" + end, "not UTF-8");
  ExpectBad(start + "Content-Disposition: form-data; name=a; filename=\"\xFF\"" + end, "not UTF-8");
  ExpectBad(start + "Content-Disposition: form-data; name=a\r\nContent-Disposition: form-data; name=b" + end,
            "two Content-Disposition");
  ExpectBad(start + "Content-Disposition: form-data; name=a\r\nno colon here" + end, "without a name");
  ExpectBad(start + "Content-Disposition: form-data; name=a\r\n folded: line" + end, "invalid name");
  ExpectBad(start + "Content-Disposition: form-data; name=a\r\nContent-Transfer-Encoding: base64" + end, "base64");
}

TEST(MultipartTest, TextAfterADelimiterIsRefused) {
  ExpectBad(
      "------PlazaBoundary7MA4YWxk\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n"
      "------PlazaBoundary7MA4YWxkEXTRA\r\n",
      "followed by other text");
}

TEST(MultipartTest, PartsAndHeadsAreBounded) {
  std::string many;
  for (int i = 0; i < 3; ++i)
    many += "------PlazaBoundary7MA4YWxk\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n";
  many += "------PlazaBoundary7MA4YWxk--";
  MultipartLimits two_parts;
  two_parts.max_parts = 2;
  ExpectBad(many, "more than 2 parts", two_parts);
  EXPECT_EQ(ErrorOf(kType, many), "ok");

  const std::string long_head = "------PlazaBoundary7MA4YWxk\r\nContent-Disposition: form-data; name=\"" +
                                std::string(3000, 'n') + "\"\r\n\r\nx\r\n------PlazaBoundary7MA4YWxk--";
  ExpectBad(long_head, "longer than 2048 bytes");

  std::string many_lines = "------PlazaBoundary7MA4YWxk\r\nContent-Disposition: form-data; name=a\r\n";
  for (int i = 0; i < 8; ++i) many_lines += "X-Extra: 1\r\n";
  many_lines += "\r\nx\r\n------PlazaBoundary7MA4YWxk--";
  ExpectBad(many_lines, "more than 8 header lines");
}

TEST(MultipartTest, TheRequestOverloadReadsItsContentType) {
  Request request;
  request.body = BrowserBody("abc");
  auto missing = ParseMultipartFormData(request);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().type, "http/unsupported-media-type");
  request.headers.Add("Content-Type", std::string(kType));
  auto form = ParseMultipartFormData(request);
  ASSERT_TRUE(form.ok()) << form.error().detail;
  EXPECT_EQ(form->Find("file")->body, "abc");
}

}  // namespace
}  // namespace plaza::http

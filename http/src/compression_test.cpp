#include "compression.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <string>

namespace plaza::http {
namespace {

// Inflates a gzip member with zlib, independently of Gzip's deflate settings.
std::string Gunzip(const std::string& data) {
  z_stream stream{};
  EXPECT_EQ(inflateInit2(&stream, 15 + 16), Z_OK);
  std::string out(1 << 20, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(inflate(&stream, Z_FINISH), Z_STREAM_END);
  out.resize(stream.total_out);
  inflateEnd(&stream);
  return out;
}

Request WithAcceptEncoding(std::string_view value) {
  Request request;
  request.headers.Set("Accept-Encoding", std::string(value));
  return request;
}

Response Page(std::size_t size, std::string type = "text/html; charset=utf-8") {
  Response response = Response::Html(std::string(size, 'a'));
  response.SetHeader("Content-Type", std::move(type));
  return response;
}

TEST(CompressionTest, GzipRoundTripsThroughZlib) {
  std::string text;
  for (int i = 0; i < 500; ++i) text += "<li>Linen shirt " + std::to_string(i) + "</li>";
  const auto compressed = Gzip(text);
  ASSERT_TRUE(compressed.has_value());
  EXPECT_LT(compressed->size(), text.size() / 4);
  EXPECT_EQ(Gunzip(*compressed), text);
}

TEST(CompressionTest, AcceptEncodingIsParsedWithQValues) {
  EXPECT_TRUE(AcceptsGzip(WithAcceptEncoding("gzip, deflate, br")));
  EXPECT_TRUE(AcceptsGzip(WithAcceptEncoding("br;q=1.0, GZIP;q=0.5")));
  EXPECT_FALSE(AcceptsGzip(WithAcceptEncoding("gzip;q=0")));
  EXPECT_FALSE(AcceptsGzip(WithAcceptEncoding("gzip;q=0.000, br")));
  EXPECT_FALSE(AcceptsGzip(WithAcceptEncoding("br, deflate")));
  EXPECT_FALSE(AcceptsGzip(Request{}));
}

TEST(CompressionTest, PagesAreCompressedForClientsThatAskAndVaryIsSet) {
  Response response = Page(4000);
  CompressForClient(WithAcceptEncoding("gzip"), response);
  EXPECT_EQ(response.headers.Get("Content-Encoding"), "gzip");
  EXPECT_EQ(response.headers.Get("Vary"), "Accept-Encoding");
  EXPECT_EQ(Gunzip(response.body), std::string(4000, 'a'));

  Response plain = Page(4000);
  CompressForClient(Request{}, plain);
  EXPECT_FALSE(plain.headers.Has("Content-Encoding"));
  EXPECT_EQ(plain.headers.Get("Vary"), "Accept-Encoding");
  EXPECT_EQ(plain.body.size(), 4000u);
}

TEST(CompressionTest, SmallBodiesJsonAndEncodedBodiesAreLeftAlone) {
  Response small = Page(kMinCompressedBody - 1);
  CompressForClient(WithAcceptEncoding("gzip"), small);
  EXPECT_FALSE(small.headers.Has("Content-Encoding"));

  Response json = Page(8000, "application/json");
  CompressForClient(WithAcceptEncoding("gzip"), json);
  EXPECT_FALSE(json.headers.Has("Content-Encoding"));
  EXPECT_FALSE(json.headers.Has("Vary"));

  Response encoded = Page(8000, "text/css");
  encoded.SetHeader("Content-Encoding", "br");
  CompressForClient(WithAcceptEncoding("gzip"), encoded);
  EXPECT_EQ(encoded.headers.Get("Content-Encoding"), "br");
  EXPECT_EQ(encoded.body.size(), 8000u);
}

}  // namespace
}  // namespace plaza::http

#include "normalize.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uspoof.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <memory>
#include <unordered_map>

#include "plaza/core/text.h"

namespace plaza::moderation::internal {
namespace {

// Separators longer than this between single letters end a spelled-out word: "b a d"
// and "b . a . d" are one word, two letters in different sentences are not.
constexpr std::size_t kMaxSpellingGap = 3;
// Bounds the per-thread cache of folded code points (each entry is a few bytes).
constexpr std::size_t kMaxCachedCodePoints = 1 << 16;

struct SpoofCloser {
  void operator()(USpoofChecker* checker) const { uspoof_close(checker); }
};

class Icu {
 public:
  Icu() {
    UErrorCode status = U_ZERO_ERROR;
    nfkc_casefold_ = icu::Normalizer2::getNFKCCasefoldInstance(status);
    nfd_ = icu::Normalizer2::getNFDInstance(status);
    spoof_.reset(uspoof_open(&status));
    ok_ = U_SUCCESS(status) && nfkc_casefold_ != nullptr && nfd_ != nullptr && spoof_ != nullptr;
  }

  bool ok() const { return ok_; }

  // Steps 1–3 of the pipeline for one code point; empty when it leaves nothing.
  std::u32string Fold(UChar32 code_point) const {
    const icu::UnicodeString plain = Plain(icu::UnicodeString(code_point));
    if (plain.isEmpty()) return {};
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString skeleton;
    uspoof_getSkeletonUnicodeString(spoof_.get(), 0, plain, skeleton, &status);
    const icu::UnicodeString folded = U_SUCCESS(status) ? Plain(skeleton) : plain;
    std::u32string out;
    for (int32_t i = 0; i < folded.length();) {
      const UChar32 c = folded.char32At(i);
      out.push_back(static_cast<char32_t>(c));
      i += U16_LENGTH(c);
    }
    return out;
  }

 private:
  // NFKC case folding, then NFD without nonspacing and enclosing marks.
  icu::UnicodeString Plain(const icu::UnicodeString& in) const {
    UErrorCode status = U_ZERO_ERROR;
    const icu::UnicodeString decomposed = nfd_->normalize(nfkc_casefold_->normalize(in, status), status);
    if (U_FAILURE(status)) return in;
    icu::UnicodeString out;
    for (int32_t i = 0; i < decomposed.length();) {
      const UChar32 c = decomposed.char32At(i);
      const int8_t type = u_charType(c);
      if (type != U_NON_SPACING_MARK && type != U_ENCLOSING_MARK) out.append(c);
      i += U16_LENGTH(c);
    }
    return out;
  }

  const icu::Normalizer2* nfkc_casefold_ = nullptr;
  const icu::Normalizer2* nfd_ = nullptr;
  std::unique_ptr<USpoofChecker, SpoofCloser> spoof_;
  bool ok_ = false;
};

const Icu& SharedIcu() {
  static const Icu icu;
  return icu;
}

const std::u32string& Folded(char32_t code_point) {
  thread_local std::unordered_map<char32_t, std::u32string> cache;
  if (auto it = cache.find(code_point); it != cache.end()) return it->second;
  if (cache.size() >= kMaxCachedCodePoints) cache.clear();
  return cache.emplace(code_point, SharedIcu().Fold(static_cast<UChar32>(code_point))).first->second;
}

bool IsWordChar(char32_t c) {
  const auto code_point = static_cast<UChar32>(c);
  return u_hasBinaryProperty(code_point, UCHAR_ALPHABETIC) || u_isdigit(code_point);
}

bool IsLineBreak(char32_t c) {
  return c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029 || c == 0x85;
}

struct Token {
  Word word;
  std::size_t gap_before = 0;  // separator code points between it and the previous token
  bool line_break_before = false;

  bool SingleLetter() const { return word.chars.front().first == word.chars.back().first; }
};

std::vector<Token> Tokenize(const std::vector<char32_t>& code_points) {
  std::vector<Token> tokens;
  bool in_word = false;
  std::size_t gap = 0;
  bool line_break = false;
  for (std::size_t i = 0; i < code_points.size(); ++i) {
    const std::u32string& folded = Folded(code_points[i]);
    if (folded.empty()) {
      // Invisible or a mark: part of the word it sits in, so masking covers it.
      if (in_word) tokens.back().word.chars.back().last = i;
      continue;
    }
    bool separator = false;
    for (const char32_t c : folded) {
      if (IsWordChar(c)) {
        if (!in_word) {
          tokens.push_back(Token{{}, gap, line_break});
          in_word = true;
          gap = 0;
          line_break = false;
        }
        tokens.back().word.chars.push_back({c, i, i});
      } else {
        in_word = false;
        separator = true;
      }
    }
    if (separator) {
      ++gap;
      line_break = line_break || IsLineBreak(code_points[i]);
    }
  }
  return tokens;
}

std::vector<Word> JoinSpelledOut(std::vector<Token> tokens) {
  std::vector<Word> words;
  for (std::size_t i = 0; i < tokens.size();) {
    std::size_t end = i + 1;
    if (tokens[i].SingleLetter()) {
      while (end < tokens.size() && tokens[end].SingleLetter() && tokens[end].gap_before <= kMaxSpellingGap &&
             !tokens[end].line_break_before) {
        ++end;
      }
    }
    if (end - i == 1) {
      words.push_back(std::move(tokens[i].word));
    } else {
      Word joined;
      joined.spelled_out = true;
      for (std::size_t j = i; j < end; ++j) {
        joined.chars.insert(joined.chars.end(), tokens[j].word.chars.begin(), tokens[j].word.chars.end());
      }
      words.push_back(std::move(joined));
    }
    i = end;
  }
  return words;
}

void AppendUtf8(std::string& out, char32_t c) {
  const auto byte = [&out](char32_t value) { out.push_back(static_cast<char>(static_cast<unsigned char>(value))); };
  if (c < 0x80) {
    byte(c);
  } else if (c < 0x800) {
    byte(0xC0 | (c >> 6));
    byte(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    byte(0xE0 | (c >> 12));
    byte(0x80 | ((c >> 6) & 0x3F));
    byte(0x80 | (c & 0x3F));
  } else {
    byte(0xF0 | (c >> 18));
    byte(0x80 | ((c >> 12) & 0x3F));
    byte(0x80 | ((c >> 6) & 0x3F));
    byte(0x80 | (c & 0x3F));
  }
}

std::vector<char32_t> Decode(std::string_view text) {
  std::vector<char32_t> code_points;
  code_points.reserve(text.size());
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  const auto length = static_cast<int32_t>(text.size());
  for (int32_t i = 0; i < length;) {
    UChar32 c = 0;
    U8_NEXT(bytes, i, length, c);
    code_points.push_back(static_cast<char32_t>(c));
  }
  return code_points;
}

bool WordEquals(const Word& word, const std::u32string& expected, bool prefix) {
  if (word.chars.size() < expected.size() || (!prefix && word.chars.size() != expected.size())) return false;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    if (word.chars[i].c != expected[i]) return false;
  }
  return true;
}

}  // namespace

Result<NormalText> Normalize(std::string_view text) {
  if (!text::IsValidUtf8(text)) return Error::Invalid("validation/utf8", "the text is not valid UTF-8");
  if (!SharedIcu().ok()) return Error::Internal("the Unicode normaliser could not be loaded");
  const std::vector<char32_t> code_points = Decode(text);
  NormalText normal;
  normal.code_points = code_points.size();
  normal.words = JoinSpelledOut(Tokenize(code_points));
  return normal;
}

Result<Pattern> NormalizePattern(std::string_view pattern) {
  std::string_view body = text::TrimAscii(pattern);
  Pattern out;
  if (!body.empty() && body.back() == '*') {
    out.prefix = true;
    body.remove_suffix(1);
  }
  PLAZA_ASSIGN_OR_RETURN(NormalText normal, Normalize(body));
  for (const Word& word : normal.words) {
    std::u32string letters;
    for (const NormalChar& c : word.chars) letters.push_back(c.c);
    out.words.push_back(std::move(letters));
  }
  if (out.words.empty()) {
    return Error::Invalid("moderation/empty-pattern", "the pattern needs at least one letter or digit", "/pattern");
  }
  return out;
}

std::string Key(const Pattern& pattern) {
  std::string key;
  for (const std::u32string& word : pattern.words) {
    if (!key.empty()) key += ' ';
    for (const char32_t c : word) AppendUtf8(key, c);
  }
  if (pattern.prefix) key += '*';
  return key;
}

Pattern ParseKey(std::string_view key) {
  Pattern pattern;
  if (!key.empty() && key.back() == '*') {
    pattern.prefix = true;
    key.remove_suffix(1);
  }
  const std::vector<char32_t> code_points = Decode(key);
  pattern.words.emplace_back();
  for (const char32_t c : code_points) {
    if (c == ' ') {
      pattern.words.emplace_back();
    } else {
      pattern.words.back().push_back(c);
    }
  }
  return pattern;
}

std::vector<Span> FindMatches(const NormalText& text, const Pattern& pattern) {
  std::vector<Span> spans;
  const std::size_t count = pattern.words.size();
  if (count == 0) return spans;
  const auto& words = text.words;
  for (std::size_t i = 0; i + count <= words.size(); ++i) {
    bool matches = true;
    for (std::size_t k = 0; k < count && matches; ++k) {
      matches = WordEquals(words[i + k], pattern.words[k], pattern.prefix && k + 1 == count);
    }
    if (matches) spans.push_back({words[i].chars.front().first, words[i + count - 1].chars.back().last});
  }
  std::u32string joined;
  for (const std::u32string& word : pattern.words) joined += word;
  for (const Word& word : words) {
    if (!word.spelled_out || word.chars.size() < joined.size()) continue;
    for (std::size_t start = 0; start + joined.size() <= word.chars.size(); ++start) {
      bool matches = true;
      for (std::size_t k = 0; k < joined.size() && matches; ++k) matches = word.chars[start + k].c == joined[k];
      if (matches) spans.push_back({word.chars[start].first, word.chars[start + joined.size() - 1].last});
    }
  }
  return spans;
}

std::string Mask(std::string_view text, const std::vector<Span>& spans) {
  const std::vector<char32_t> code_points = Decode(text);
  std::vector<bool> masked(code_points.size(), false);
  for (const Span& span : spans) {
    for (std::size_t i = span.first; i <= span.last && i < masked.size(); ++i) masked[i] = true;
  }
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < code_points.size(); ++i) {
    if (masked[i]) {
      out += '*';
    } else {
      AppendUtf8(out, code_points[i]);
    }
  }
  return out;
}

}  // namespace plaza::moderation::internal

#pragma once
// The text pipeline keyword rules match on. Text and patterns go through the same steps,
// per code point of the original, so every normalised character remembers which original
// code points it came from and a match can be masked in the original text:
//   1. NFKC with case folding (full-width, ligatures, compatibility forms, case), which
//      also drops default-ignorable code points (zero-width spaces, joiners, BOM …);
//   2. canonical decomposition with nonspacing and enclosing marks removed (accents,
//      strike-through and other combining overlays);
//   3. the confusable skeleton of UTS #39 (uspoof), so look-alike letters of other
//      scripts become the Latin letter they imitate, then steps 1–2 again;
//   4. words: runs of letters and digits; everything else separates words.
//   5. spaced-out words: two or more single-letter words separated only by short
//      separators ("b a d", "b.a.d", "b-a-d") are joined into one spelled-out word.
// Matching is on whole words ("ass" does not match "class"); inside a spelled-out word a
// pattern matches anywhere, since its own word boundaries are unknown. A pattern ending
// in '*' also matches words its last word begins.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "plaza/core/result.h"

namespace plaza::moderation::internal {

struct NormalChar {
  char32_t c = 0;
  std::size_t first = 0;  // the original code points it covers, inclusive
  std::size_t last = 0;
};

struct Word {
  std::vector<NormalChar> chars;
  bool spelled_out = false;  // joined from single letters; patterns match inside it
};

struct NormalText {
  std::vector<Word> words;
  std::size_t code_points = 0;  // of the original
};

// Errors: "validation/utf8".
Result<NormalText> Normalize(std::string_view text);

struct Pattern {
  std::vector<std::u32string> words;
  bool prefix = false;  // the last word may be followed by more letters
};

// The pattern's normal form, or "moderation/empty-pattern" when nothing of it is a letter
// or digit. Key() writes it as the text stored with a rule.
Result<Pattern> NormalizePattern(std::string_view pattern);
std::string Key(const Pattern& pattern);
Pattern ParseKey(std::string_view key);

struct Span {
  std::size_t first = 0;  // original code point indices, inclusive
  std::size_t last = 0;
};

// Where `pattern` occurs in `text`.
std::vector<Span> FindMatches(const NormalText& text, const Pattern& pattern);

// `text` with every code point inside one of `spans` replaced by '*'.
// REQUIRES: `text` is valid UTF-8.
std::string Mask(std::string_view text, const std::vector<Span>& spans);

}  // namespace plaza::moderation::internal

#include "engine/xml_tags.hpp"

#include <cstdio>

#include "core/input_error.hpp"

namespace mlcycle {

const XmlAttribute* XmlTag::find(std::string_view attribute) const {
  for (const XmlAttribute& a : attributes)
    if (a.name == attribute) return &a;
  return nullptr;
}

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.' || c == ':' || static_cast<unsigned char>(c) >= 0x80;
}

// Length of the UTF-8 sequence at `i`, or 0 when it is not well-formed (overlong forms,
// surrogates and code points above U+10FFFF included).
std::size_t utf8_length(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b = byte(i);
  if (b < 0x80) return 1;
  std::size_t n = 0;
  unsigned char low = 0x80, high = 0xBF;  // allowed range of the second byte
  if (b >= 0xC2 && b <= 0xDF) {
    n = 2;
  } else if (b >= 0xE0 && b <= 0xEF) {
    n = 3;
    if (b == 0xE0) low = 0xA0;
    if (b == 0xED) high = 0x9F;
  } else if (b >= 0xF0 && b <= 0xF4) {
    n = 4;
    if (b == 0xF0) low = 0x90;
    if (b == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  if (byte(i + 1) < low || byte(i + 1) > high) return 0;
  for (std::size_t k = 2; k < n; ++k)
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  return n;
}

void append_utf8(std::string& out, unsigned long code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

class TagReader {
 public:
  TagReader(std::string_view text, const std::string& file) : text_(text), file_(file) {}

  void run(const std::function<void(const XmlTag&)>& visit) {
    check_utf8();
    while (pos_ < text_.size()) {
      if (text_[pos_] != '<') {
        advance(1);
        continue;
      }
      if (starts_with("<!--")) {
        skip_past("-->", "comment");
      } else if (starts_with("<![CDATA[")) {
        skip_past("]]>", "CDATA section");
      } else if (starts_with("<?")) {
        skip_past("?>", "processing instruction");
      } else if (starts_with("<!")) {
        skip_declaration();
      } else {
        visit(read_tag());
      }
    }
  }

 private:
  [[noreturn]] void fail(int line, int column, const std::string& message) const {
    throw InputError(SourceLocation{file_, line, column}, "platform", message);
  }
  [[noreturn]] void fail_here(const std::string& message) const { fail(line_, column_, message); }

  bool starts_with(std::string_view prefix) const {
    return text_.substr(pos_, prefix.size()) == prefix;
  }

  void advance(std::size_t n) {
    for (std::size_t k = 0; k < n && pos_ < text_.size(); ++k, ++pos_) {
      if (text_[pos_] == '\n') {
        ++line_;
        column_ = 1;
      } else {
        ++column_;
      }
    }
  }

  void check_utf8() const {
    int line = 1, column = 1;
    for (std::size_t i = 0; i < text_.size();) {
      const std::size_t n = utf8_length(text_, i);
      if (n == 0) {
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(text_[i]));
        fail(line, column, std::string("invalid UTF-8 (byte ") + hex + ")");
      }
      if (text_[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
      i += n;
    }
  }

  void skip_past(std::string_view end, const std::string& what) {
    const int line = line_, column = column_;
    const std::size_t at = text_.find(end, pos_ + 2);
    if (at == std::string_view::npos) fail(line, column, "unterminated " + what);
    advance(at + end.size() - pos_);
  }

  // <!DOCTYPE ...> with an optional internal subset in brackets.
  void skip_declaration() {
    const int line = line_, column = column_;
    int brackets = 0;
    for (advance(2); pos_ < text_.size(); advance(1)) {
      const char c = text_[pos_];
      if (c == '[') ++brackets;
      if (c == ']') --brackets;
      if (c == '>' && brackets <= 0) {
        advance(1);
        return;
      }
    }
    fail(line, column, "unterminated declaration");
  }

  std::string read_name() {
    const std::size_t start = pos_;
    while (pos_ < text_.size() && is_name_char(text_[pos_])) advance(1);
    return std::string(text_.substr(start, pos_ - start));
  }

  void skip_spaces() {
    while (pos_ < text_.size() && is_space(text_[pos_])) advance(1);
  }

  std::string decode(std::string_view raw, int line, int column) const {
    std::string out;
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] != '&') {
        out += raw[i];
        continue;
      }
      const std::size_t semi = raw.find(';', i);
      if (semi == std::string_view::npos) fail(line, column, "'&' without ';' in a value");
      const std::string_view entity = raw.substr(i + 1, semi - i - 1);
      if (entity == "lt")
        out += '<';
      else if (entity == "gt")
        out += '>';
      else if (entity == "amp")
        out += '&';
      else if (entity == "quot")
        out += '"';
      else if (entity == "apos")
        out += '\'';
      else if (entity.size() > 1 && entity[0] == '#') {
        const bool hex = entity[1] == 'x';
        const std::string digits(entity.substr(hex ? 2 : 1));
        char* end = nullptr;
        const unsigned long code = std::strtoul(digits.c_str(), &end, hex ? 16 : 10);
        if (digits.empty() || *end != '\0' || code == 0 || code > 0x10FFFF)
          fail(line, column, "bad character reference '&" + std::string(entity) + ";'");
        append_utf8(out, code);
      } else {
        fail(line, column, "unknown entity '&" + std::string(entity) + ";'");
      }
      i = semi;
    }
    return out;
  }

  XmlTag read_tag() {
    XmlTag tag;
    tag.line = line_;
    tag.column = column_;
    advance(1);
    if (pos_ < text_.size() && text_[pos_] == '/') {
      tag.closing = true;
      advance(1);
    }
    tag.name = read_name();
    if (tag.name.empty()) fail(tag.line, tag.column, "'<' is not followed by a tag name");
    for (;;) {
      skip_spaces();
      if (pos_ >= text_.size()) fail(tag.line, tag.column, "unterminated tag <" + tag.name + ">");
      const char c = text_[pos_];
      if (c == '>') {
        advance(1);
        return tag;
      }
      if (c == '/' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '>' && !tag.closing) {
        tag.self_closing = true;
        advance(2);
        return tag;
      }
      XmlAttribute a;
      a.line = line_;
      a.column = column_;
      a.offset = pos_;
      a.name = read_name();
      if (a.name.empty() || tag.closing)
        fail_here("unexpected '" + std::string(1, c) + "' in tag <" + tag.name + ">");
      skip_spaces();
      if (pos_ >= text_.size() || text_[pos_] != '=')
        fail(a.line, a.column, "attribute '" + a.name + "' has no value");
      advance(1);
      skip_spaces();
      const char quote = pos_ < text_.size() ? text_[pos_] : '\0';
      if (quote != '"' && quote != '\'')
        fail(a.line, a.column, "the value of '" + a.name + "' is not quoted");
      const std::size_t end = text_.find(quote, pos_ + 1);
      if (end == std::string_view::npos)
        fail(a.line, a.column, "the value of '" + a.name + "' is not closed");
      const std::string_view raw = text_.substr(pos_ + 1, end - pos_ - 1);
      if (raw.find('<') != std::string_view::npos)
        fail(a.line, a.column, "'<' in the value of '" + a.name + "'");
      a.value = decode(raw, a.line, a.column);
      advance(end + 1 - pos_);
      a.length = pos_ - a.offset;
      tag.attributes.push_back(std::move(a));
    }
  }

  std::string_view text_;
  const std::string& file_;
  std::size_t pos_ = 0;
  int line_ = 1;
  int column_ = 1;
};

}  // namespace

void scan_xml_tags(std::string_view text, const std::string& file,
                   const std::function<void(const XmlTag&)>& visit) {
  TagReader(text, file).run(visit);
}

}  // namespace mlcycle

#pragma once
// A small reader of the tags of an XML file, for the checks mlcycle makes on a platform before
// SimGrid sees it (SimGrid aborts on much of what it refuses, so it must not see it). It reads
// tags and their attributes with their positions, skips comments, processing instructions,
// the DOCTYPE and CDATA, and refuses bytes that are not UTF-8. It checks no nesting and no
// DTD: SimGrid's own parser does, in the pre-flight (platform_preflight.hpp).
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace mlcycle {

struct XmlAttribute {
  std::string name;
  std::string value;  // with the five predefined entities and character references decoded
  int line = 0;       // 1-based position of the name
  int column = 0;
  std::size_t offset = 0;  // bytes of `name="value"` in the text
  std::size_t length = 0;
};

struct XmlTag {
  std::string name;
  bool closing = false;       // </name>
  bool self_closing = false;  // <name ... />
  int line = 0;
  int column = 0;
  std::vector<XmlAttribute> attributes;
  const XmlAttribute* find(std::string_view attribute) const;
};

// Calls `visit` for each tag in document order. Errors (invalid UTF-8, an unterminated tag or
// comment, an attribute without a quoted value) are InputErrors at `file`:LINE:COL, key
// "platform".
void scan_xml_tags(std::string_view text, const std::string& file,
                   const std::function<void(const XmlTag&)>& visit);

}  // namespace mlcycle

#pragma once
// One name table per enum, next to the enum's definition, instead of a hand-written parser and
// printer each: the scenario's words, the trace's words and the "is not one of" messages then
// cannot drift apart. An enum takes part by declaring, in its own namespace,
//
//   inline constexpr EnumName<Fuel> kFuelNames[] = {{Fuel::gasoline, "gasoline"}, ...};
//   constexpr std::span<const EnumName<Fuel>> enum_names(Fuel) { return kFuelNames; }
//
// (found by argument-dependent lookup); the table's order is the order error messages list.
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace mlcycle {

template <typename E>
struct EnumName {
  E value;
  std::string_view name;
};

// The value named `text` exactly (case and spelling as written in the table).
template <typename E>
constexpr std::optional<E> parse_enum(std::string_view text) {
  for (const EnumName<E>& entry : enum_names(E{}))
    if (entry.name == text) return entry.value;
  return std::nullopt;
}

// The name of `value`; an enum value missing from its table is a programming error: "?".
template <typename E>
constexpr std::string_view enum_name(E value) {
  for (const EnumName<E>& entry : enum_names(E{}))
    if (entry.value == value) return entry.name;
  return "?";
}

// The accepted names for messages, in table order: "a, b, c" (or "\"a\", \"b\"" when quoted).
template <typename E>
std::string enum_name_list(bool quoted = false) {
  std::string out;
  for (const EnumName<E>& entry : enum_names(E{})) {
    if (!out.empty()) out += ", ";
    if (quoted) out += '"';
    out += entry.name;
    if (quoted) out += '"';
  }
  return out;
}

// The message for a word that names no value: "'x' is not one of: a, b, c".
// Built by appends: GCC 12 warns (-Wrestrict, a false positive) on "'" + std::string + ...
template <typename E>
std::string not_one_of(std::string_view text, bool quoted = false) {
  std::string out = "'";
  out += text;
  out += "' is not one of: ";
  out += enum_name_list<E>(quoted);
  return out;
}

}  // namespace mlcycle

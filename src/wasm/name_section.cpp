// Copyright Crush authors.
#include "name_section.hpp"

#include "leb128.hpp"

#include <string>
#include <unordered_map>

namespace crush {
namespace {

constexpr uint8_t kModuleNameSubsection = 0;
constexpr uint8_t kFunctionNamesSubsection = 1;

}  // namespace

bool parse_name_section(std::span<const uint8_t> contents, size_t base, Module& module) {
    Cursor c(contents, base);
    std::string module_name;
    std::unordered_map<uint32_t, std::string> function_names;
    int last_id = -1;
    while (!c.at_end()) {
        auto id = c.read_u8();
        if (!id) return false;
        // Subsections appear at most once, in increasing id order.
        if (static_cast<int>(*id) <= last_id) return false;
        last_id = *id;
        auto size = c.read_u32();
        if (!size) return false;
        auto sub = c.take(*size, kUnexpectedEnd);
        if (!sub) return false;
        if (*id == kModuleNameSubsection) {
            auto name = sub->read_name();
            if (!name) return false;
            module_name = std::move(*name);
        } else if (*id == kFunctionNamesSubsection) {
            // namemap: vec(funcidx name), indices strictly increasing.
            auto count = sub->read_u32();
            if (!count) return false;
            int64_t last_index = -1;
            for (uint32_t i = 0; i < *count; ++i) {  // each entry takes >= 2 bytes: bounded
                auto index = sub->read_u32();
                if (!index) return false;
                if (static_cast<int64_t>(*index) <= last_index) return false;
                last_index = *index;
                auto name = sub->read_name();
                if (!name) return false;
                function_names.emplace(*index, std::move(*name));
            }
        } else {
            continue;  // local names and newer subsections: not needed, already skipped
        }
        if (!sub->at_end()) return false;
    }
    module.module_name = std::move(module_name);
    module.function_names = std::move(function_names);
    return true;
}

}  // namespace crush

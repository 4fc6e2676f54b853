// Copyright Crush authors.
// The appendix's operand and control stack primitives.
// https://webassembly.github.io/spec/core/appendix/algorithm.html
#include "validator.hpp"

namespace crush {

bool FunctionValidator::fail(std::string message) {
    if (!m_error) m_error = Error{ErrorKind::invalid, offset, std::move(message)};
    return false;
}

bool FunctionValidator::fail(const char* message) { return fail(std::string(message)); }

void FunctionValidator::push_vals(std::span<const VType> types) {
    for (VType t : types) push_val(t);
}

bool FunctionValidator::pop_vals(std::span<const VType> types) {
    for (size_t i = types.size(); i-- > 0;)
        if (!pop_val_expect(types[i])) return false;
    return true;
}

bool FunctionValidator::pop_vals_actual(std::span<const VType> types, std::vector<VType>& out) {
    out.assign(types.size(), kUnknown);
    for (size_t i = types.size(); i-- > 0;) {
        VType actual = kUnknown;
        if (!pop_val(actual)) return false;
        if (actual != types[i] && actual != kUnknown && types[i] != kUnknown) return fail("type mismatch");
        out[i] = actual;
    }
    return true;
}

void FunctionValidator::push_ctrl(Opcode op, TypeList in, TypeList out) {
    CtrlFrame f;
    f.opcode = op;
    f.start_types = in;
    f.end_types = out;
    f.height = m_height;
    f.unreachable = false;
    m_ctrls.push_back(f);
    push_vals(m_ctrls.back().start_types.span());
}

bool FunctionValidator::pop_ctrl(CtrlFrame& out) {
    if (m_ctrls.empty()) return fail("unexpected end");
    // pop_vals only reads the frame (height, unreachable): its end types stay valid meanwhile.
    if (!pop_vals(m_ctrls.back().end_types.span())) return false;
    if (m_height != m_ctrls.back().height) return fail("type mismatch");
    out = m_ctrls.back();
    m_ctrls.pop_back();
    return true;
}

void FunctionValidator::set_unreachable() {
    CtrlFrame& f = m_ctrls.back();
    m_height = f.height;
    f.unreachable = true;
}

}  // namespace crush

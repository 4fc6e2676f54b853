// Copyright Crush authors.
// Deliberate choices, compared with the reference interpreter (interpreter/script/run.ml):
// - The reference stops at the first failure; we go on and count, so one bug does not hide
//   the rest. A module that fails to load leaves "no current module" behind, so the commands
//   that use it fail too rather than silently testing the previous module.
// - Messages are checked like the reference does (expected text is a prefix of ours) for traps,
//   load errors and link errors alike; RunnerOptions::check_messages turns that off to sort
//   real failures from wording differences.
#include "wast/runner.hpp"

#include "wast/spectest_host.hpp"

#include <fmt/format.h>

#include <fstream>
#include <iterator>

namespace crush::cli::wast {

namespace {

std::string describe_error(const Error& e) {
    if (e.offset != 0)
        return fmt::format("{} at offset {}: {}", to_string(e.kind), e.offset, e.message);
    return fmt::format("{}: {}", to_string(e.kind), e.message);
}

std::string message_of(const Trap& t) {
    return t.message.empty() ? std::string(trap_message(t.kind)) : t.message;
}

/// What an ExecResult that is not the expected one was, for failure details.
std::string describe_outcome(const ExecResult& r) {
    switch (r.status) {
    case ExecResult::Status::ok:
        return fmt::format("returned {}", describe(r.values));
    case ExecResult::Status::trap:
        return fmt::format("trapped \"{}\"", message_of(r.trap));
    case ExecResult::Status::exit:
        return fmt::format("exited with code {}", r.exit_code);
    }
    return "?";
}

StoreConfig store_config(RunnerOptions::Metering metering, std::atomic<bool>* flag) {
    StoreConfig c;
    if (metering == RunnerOptions::Metering::fuel) c.fuel = uint64_t{1} << 62;
    if (metering == RunnerOptions::Metering::interrupt) c.interrupt = flag;
    return c;
}

}  // namespace

Runner::Runner(const Script& script, RunnerOptions options)
    : m_script(script), m_options(options), m_store(store_config(options.metering, &m_never_interrupted)) {
    m_linker.define("spectest", make_spectest_module(m_store, m_options.out));
}

Tally Runner::run() {
    Tally t;
    for (const Command& c : m_script.commands) {
        Verdict v = run_command(c);
        switch (v.status) {
        case Verdict::Status::pass:
            ++t.passed;
            break;
        case Verdict::Status::fail:
            ++t.failed;
            if (m_options.verbose)
                fmt::print(m_options.out, "{}:{}: {} failed: {}\n", m_script.source_filename, c.line,
                           to_string(c.kind), v.detail);
            break;
        case Verdict::Status::skip:
            ++t.skipped;
            if (m_options.verbose)
                fmt::print(m_options.out, "{}:{}: {} skipped: {}\n", m_script.source_filename, c.line,
                           to_string(c.kind), v.detail);
            break;
        case Verdict::Status::none:
            break;
        }
    }
    std::fflush(m_options.out);
    return t;
}

Verdict Runner::run_command(const Command& c) {
    switch (c.kind) {
    case CommandKind::module:
        return do_module(c);
    case CommandKind::register_:
        return do_register(c);
    case CommandKind::action:
        return do_action(c);
    case CommandKind::assert_return:
        return do_assert_return(c);
    case CommandKind::assert_trap:
    case CommandKind::assert_exhaustion:
        return do_assert_trap(c);
    case CommandKind::assert_invalid:
        return do_assert_load_error(c, ErrorKind::invalid);
    case CommandKind::assert_malformed:
        return do_assert_load_error(c, ErrorKind::malformed);
    case CommandKind::assert_unlinkable:
        return do_assert_link_error(c, ErrorKind::unlinkable);
    case CommandKind::assert_uninstantiable:
        return do_assert_link_error(c, ErrorKind::uninstantiable);
    }
    return Verdict::fail("unknown command");
}

Result<std::shared_ptr<const Module>> Runner::load(const std::string& filename) const {
    std::filesystem::path path = m_script.directory / filename;
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return Error{ErrorKind::io, 0, fmt::format("cannot open {}", path.string())};
    std::vector<uint8_t> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (in.bad())
        return Error{ErrorKind::io, 0, fmt::format("cannot read {}", path.string())};
    return load_module(bytes);
}

Result<Instance*> Runner::instantiate(const std::shared_ptr<const Module>& module) {
    auto externs = m_linker.resolve(m_store, *module);
    CRUSH_TRY(externs);
    return m_store.instantiate(module, *externs);
}

bool Runner::message_matches(const std::string& expected, const std::string& actual) const {
    return !m_options.check_messages || actual.starts_with(expected);
}

Verdict Runner::do_module(const Command& c) {
    // Until this module exists, nothing may silently use the previous one.
    m_current = nullptr;
    if (c.name)
        m_named[*c.name] = nullptr;
    if (c.text_module)
        return Verdict::skip("text module");
    auto module = load(c.filename);
    if (!module)
        return Verdict::fail(fmt::format("{} did not load: {}", c.filename, describe_error(module.error())));
    auto inst = instantiate(*module);
    if (!inst)
        return Verdict::fail(fmt::format("{} did not instantiate: {}", c.filename, describe_error(inst.error())));
    m_current = *inst;
    if (c.name)
        m_named[*c.name] = *inst;
    return Verdict::pass();
}

Verdict Runner::do_register(const Command& c) {
    Instance* inst = m_current;
    if (c.name) {
        auto it = m_named.find(*c.name);
        inst = it == m_named.end() ? nullptr : it->second;
    }
    if (!inst)
        return Verdict::fail(fmt::format("cannot register {} as \"{}\": no such module loaded",
                                         c.name.value_or("the current module"), c.as));
    m_linker.register_instance(m_store, inst, c.as);
    return {Verdict::Status::none, {}};
}

Runner::ActionOutcome Runner::perform(const Action& a) {
    ActionOutcome out;
    Instance* inst = m_current;
    if (a.module) {
        auto it = m_named.find(*a.module);
        if (it == m_named.end()) {
            out.error = fmt::format("unknown module {}", *a.module);
            return out;
        }
        inst = it->second;
    }
    if (!inst) {
        out.error = a.module ? fmt::format("module {} failed to load", *a.module) : "no module loaded";
        return out;
    }
    auto ext = m_store.get_export(inst, a.field);
    if (!ext) {
        out.error = fmt::format("no export \"{}\"", a.field);
        return out;
    }
    if (a.kind == Action::Kind::get) {
        GlobalInst* g = ext->as_global();
        if (!g) {
            out.error = fmt::format("export \"{}\" is a {}, not a global", a.field, to_string(ext->kind));
            return out;
        }
        out.exec.values.push_back(m_store.global_get(g));
        return out;
    }
    FunctionInst* fn = ext->as_func();
    if (!fn) {
        out.error = fmt::format("export \"{}\" is a {}, not a function", a.field, to_string(ext->kind));
        return out;
    }
    std::vector<Value> args;
    for (const Argument& arg : a.args) {
        if (!arg.unsupported_reason.empty()) {
            out.error = arg.unsupported_reason;
            return out;
        }
        args.push_back(arg.value);
    }
    const FuncType& type = m_store.function_type(fn);
    bool types_ok = type.params.size() == args.size();
    for (size_t i = 0; types_ok && i < args.size(); ++i)
        types_ok = type.params[i] == args[i].type;
    if (!types_ok) {
        out.error = fmt::format("arguments {} do not match \"{}\" of type {}", describe(args), a.field,
                                to_string(type));
        return out;
    }
    out.exec = m_store.call(fn, args);
    return out;
}

Verdict Runner::do_action(const Command& c) {
    ActionOutcome r = perform(c.action);
    if (!r.error.empty())
        return Verdict::fail(r.error);
    if (!r.exec.ok())
        return Verdict::fail(describe_outcome(r.exec));
    return Verdict::pass();
}

Verdict Runner::do_assert_return(const Command& c) {
    ActionOutcome r = perform(c.action);
    if (!r.error.empty())
        return Verdict::fail(r.error);
    std::string expected = describe(c.expected);
    if (!r.exec.ok())
        return Verdict::fail(fmt::format("expected {}, {}", expected, describe_outcome(r.exec)));
    bool ok = r.exec.values.size() == c.expected.size();
    for (size_t i = 0; ok && i < c.expected.size(); ++i)
        ok = matches(c.expected[i], r.exec.values[i]);
    if (!ok)
        return Verdict::fail(fmt::format("expected {}, got {}", expected, describe(r.exec.values)));
    return Verdict::pass();
}

Verdict Runner::do_assert_trap(const Command& c) {
    ActionOutcome r = perform(c.action);
    if (!r.error.empty())
        return Verdict::fail(r.error);
    if (r.exec.status != ExecResult::Status::trap)
        return Verdict::fail(fmt::format("expected trap \"{}\", {}", c.text, describe_outcome(r.exec)));
    std::string message = message_of(r.exec.trap);
    if (!message_matches(c.text, message))
        return Verdict::fail(fmt::format("expected trap \"{}\", got trap \"{}\"", c.text, message));
    return Verdict::pass();
}

Verdict Runner::do_assert_load_error(const Command& c, ErrorKind expected) {
    if (c.text_module)
        return Verdict::skip(fmt::format("text module ({} \"{}\")", to_string(expected), c.text));
    auto module = load(c.filename);
    if (module)
        return Verdict::fail(fmt::format("expected {} \"{}\", {} loaded", to_string(expected), c.text, c.filename));
    const Error& e = module.error();
    if (e.kind != expected || !message_matches(c.text, e.message))
        return Verdict::fail(fmt::format("expected {} \"{}\", got {}", to_string(expected), c.text, describe_error(e)));
    return Verdict::pass();
}

Verdict Runner::do_assert_link_error(const Command& c, ErrorKind expected) {
    if (c.text_module)
        return Verdict::skip("text module");
    auto module = load(c.filename);
    if (!module)
        return Verdict::fail(fmt::format("expected {} \"{}\", {} did not load: {}", to_string(expected), c.text,
                                         c.filename, describe_error(module.error())));
    auto inst = instantiate(*module);
    if (inst)
        return Verdict::fail(
            fmt::format("expected {} \"{}\", {} instantiated", to_string(expected), c.text, c.filename));
    const Error& e = inst.error();
    if (e.kind != expected || !message_matches(c.text, e.message))
        return Verdict::fail(fmt::format("expected {} \"{}\", got {}", to_string(expected), c.text, describe_error(e)));
    return Verdict::pass();
}

Tally run_script(const Script& script, const RunnerOptions& options) {
    Runner runner(script, options);
    Tally t = runner.run();
    fmt::print(options.out, "{}\n", summary_line(t));
    std::fflush(options.out);
    return t;
}

std::string summary_line(const Tally& t) {
    if (t.skipped)
        return fmt::format("{} passed, {} failed, {} skipped", t.passed, t.failed, t.skipped);
    return fmt::format("{} passed, {} failed", t.passed, t.failed);
}

}  // namespace crush::cli::wast

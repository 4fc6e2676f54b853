// Embedding Crush from C++: load the capsule from its Capsule.toml, offer a host function
// behind a permission, run, read the report. Then show what happens without the grant.
//
//   embed_cpp CAPSULE_DIR [EXO_HOME]
#include <crush/embed.hpp>

#include <cstdio>
#include <cstring>
#include <map>
#include <string>

namespace {

/// env_ext.lookup(key, key_length, out, capacity) -> length or -1: capitals from a host table.
crush::HostOutcome lookup(crush::HostCall& call, std::span<const crush::Value> args, std::span<crush::Value> results) {
    static const std::map<std::string, std::string> kCapitals = {{"france", "Paris"}, {"japan", "Tokyo"}};
    crush::MemoryInst* memory = call.memory();
    if (!memory) return crush::HostOutcome::trap("lookup: the capsule exports no memory");
    std::span<uint8_t> bytes = call.store.memory_data(memory);
    const uint64_t key = args[0].as_i32(), key_length = args[1].as_i32();
    const uint64_t out = args[2].as_i32(), capacity = args[3].as_i32();
    // Guest pointers are untrusted: check every range against the memory's size.
    if (key + key_length > bytes.size() || out + capacity > bytes.size())
        return crush::HostOutcome::trap("lookup: pointer out of bounds");
    auto it = kCapitals.find(std::string(reinterpret_cast<const char*>(bytes.data() + key), key_length));
    if (it == kCapitals.end() || it->second.size() > capacity) {
        results[0] = crush::Value::i32(static_cast<uint32_t>(-1));
        return crush::HostOutcome::next();
    }
    std::memcpy(bytes.data() + out, it->second.data(), it->second.size());
    results[0] = crush::Value::i32(static_cast<uint32_t>(it->second.size()));
    return crush::HostOutcome::next();
}

crush::HostFunctionSpec lookup_spec() {
    using crush::ValType;
    return {"env_ext", "lookup", crush::FuncType{{ValType::i32, ValType::i32, ValType::i32, ValType::i32}, {ValType::i32}},
            lookup, "demo.lookup"};
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s CAPSULE_DIR [EXO_HOME]\n", argv[0]);
        return 64;
    }
    const std::string exo_home = argc > 2 ? argv[2] : "exo-home";

    // The manifest grants demo.lookup; passing the spec lets the loader accept that permission.
    auto options = crush::load_capsule_options(argv[1], std::vector<crush::HostFunctionSpec>{lookup_spec()});
    if (!options) {
        std::fprintf(stderr, "cannot load: %s\n", options.error().message.c_str());
        return 1;
    }
    options->exo_home = exo_home;
    crush::CapsuleOptions without_grant = *options;  // for the second half

    auto capsule = crush::Capsule::create(std::move(*options));
    if (!capsule) {
        std::fprintf(stderr, "cannot create: %s\n", capsule.error().message.c_str());
        return 1;
    }
    std::fflush(stdout);  // the capsule writes to the same descriptor
    crush::CapsuleReport report = (*capsule)->run();
    if (report.outcome != crush::CapsuleReport::Outcome::exited) {
        std::fprintf(stderr, "capsule failed: %s%s\n", report.trap.message.c_str(), report.error.message.c_str());
        return 1;
    }
    std::printf("[c++] capsule exited with code %u\n", report.exit_code);

    // Without the grant, the module importing env_ext.lookup does not load.
    std::erase(without_grant.permissions, "demo.lookup");
    auto denied = crush::Capsule::create(std::move(without_grant));
    if (denied) return 1;
    std::printf("[c++] without demo.lookup: %s\n", denied.error().message.c_str());
    return 0;
}

// SPDX-License-Identifier: Apache-2.0
#include "vm/image/guest_image_builder.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <set>
#include <sstream>

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/core/atomic_file.h"

extern char** environ;

namespace slipway::vm::image {

namespace {

using core::Error;
using core::ErrorCode;
namespace fs = std::filesystem;

/// Runs `argv` (looked up on PATH) and returns its stdout and stderr; a non-zero exit is an error
/// that quotes the output. `okExitCodes` lists other exit codes that count as success.
core::Result<std::string> runCapture(const std::vector<std::string>& argv,
                                     std::vector<int> okExitCodes = {}) {
    int pipeFds[2];
    if (::pipe2(pipeFds, O_CLOEXEC) != 0) {
        return Error(ErrorCode::Io, std::string("pipe: ") + std::strerror(errno));
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipeFds[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, pipeFds[1], STDERR_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    std::vector<char*> args;
    for (const auto& arg : argv) {
        args.push_back(const_cast<char*>(arg.c_str()));
    }
    args.push_back(nullptr);
    pid_t pid = -1;
    const int spawned = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(pipeFds[1]);
    if (spawned != 0) {
        ::close(pipeFds[0]);
        return Error(ErrorCode::Io, "cannot run " + argv[0] + ": " + std::strerror(spawned));
    }
    std::string output;
    char buffer[8192];
    for (;;) {
        const ssize_t n = ::read(pipeFds[0], buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;
        }
        output.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(pipeFds[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (code != 0 && std::find(okExitCodes.begin(), okExitCodes.end(), code) == okExitCodes.end()) {
        std::string command;
        for (const auto& arg : argv) {
            command += (command.empty() ? "" : " ") + arg;
        }
        return Error(ErrorCode::Io,
                     command + " exited with " + std::to_string(code) + ": " + output);
    }
    return output;
}

std::string moduleNameOf(std::string_view path) {
    auto name = std::string(fs::path(path).filename().string());
    for (const std::string_view suffix : {".ko.xz", ".ko.zst", ".ko.gz", ".ko"}) {
        if (name.ends_with(suffix)) {
            name.resize(name.size() - suffix.size());
            break;
        }
    }
    std::replace(name.begin(), name.end(), '-', '_');
    return name;
}

std::vector<std::string> splitWords(std::string_view text) {
    std::vector<std::string> words;
    std::istringstream in{std::string(text)};
    for (std::string word; in >> word;) {
        words.push_back(word);
    }
    return words;
}

core::Result<void> addBusybox(CpioArchive& archive, const fs::path& busybox) {
    archive.addFileFrom("usr/bin/busybox", busybox, 0755);
    // The applet list comes from the binary itself, so it matches the busybox we copied.
    auto list = runCapture({busybox.string(), "--list-full"});
    if (!list) {
        return list.error();
    }
    std::istringstream lines(*list);
    for (std::string applet; std::getline(lines, applet);) {
        // Merged /usr: bin/ and sbin/ are links to usr/bin and usr/sbin.
        if (applet.starts_with("bin/") || applet.starts_with("sbin/")) {
            applet = "usr/" + applet;
        }
        if (applet.empty() || applet == "usr/bin/busybox" || applet.starts_with("linuxrc") ||
            archive.contains(applet)) {
            continue;
        }
        archive.addSymlink(applet, "/usr/bin/busybox");
    }
    return core::success();
}

core::Result<void> addModules(CpioArchive& archive, const GuestImageInputs& inputs) {
    auto dep = core::readFile(inputs.modulesDir / "modules.dep");
    if (!dep) {
        return dep.error().wrap("kernel modules");
    }
    auto closure = moduleClosure(*dep, inputs.modules);
    if (!closure) {
        return closure.error();
    }
    const std::string guestDir = "usr/lib/modules/" + inputs.modulesDir.filename().string() + "/";
    std::vector<std::string> names;
    std::set<std::string> carried(closure->begin(), closure->end());
    std::string trimmedDep;
    std::istringstream lines(*dep);
    for (std::string line; std::getline(lines, line);) {
        const auto colon = line.find(':');
        if (colon != std::string::npos && carried.contains(line.substr(0, colon))) {
            trimmedDep += line + "\n";
        }
    }
    for (const auto& module : *closure) {
        archive.addFileFrom(guestDir + module, inputs.modulesDir / module, 0644);
        names.push_back(moduleNameOf(module));
    }
    archive.addFile(guestDir + "modules.dep", trimmedDep);
    for (const char* file : {"modules.alias", "modules.symbols"}) {
        auto text = core::readFile(inputs.modulesDir / file);
        if (text) {
            archive.addFile(guestDir + file, filterModuleAliases(*text, names));
        }
    }
    // modprobe answers "built in" for these instead of failing.
    if (auto builtin = core::readFile(inputs.modulesDir / "modules.builtin"); builtin) {
        archive.addFile(guestDir + "modules.builtin", std::move(*builtin));
    }
    return core::success();
}

core::Result<fs::path> strippedCopy(const GuestProgram& program, const fs::path& workDir) {
    std::error_code ec;
    fs::create_directories(workDir, ec);
    const fs::path out = workDir / (program.source.filename().string() + ".stripped");
    // strip writes no timestamps: the same input gives the same bytes.
    auto stripped =
        runCapture({"strip", "--strip-all", "-o", out.string(), program.source.string()});
    if (!stripped) {
        return stripped.error();
    }
    return out;
}

core::Result<void> addProgram(CpioArchive& archive, const GuestProgram& program,
                              const GuestImageInputs& inputs) {
    const fs::path& workDir = inputs.workDir;
    std::error_code ec;
    if (!fs::is_regular_file(program.source, ec)) {
        return Error(ErrorCode::NotFound, "no program " + program.source.string());
    }
    fs::path source = program.source;
    if (program.strip) {
        auto stripped = strippedCopy(program, workDir);
        if (!stripped) {
            return stripped.error();
        }
        source = *stripped;
    }
    archive.addFileFrom(program.guestPath, source, 0755);
    auto libraries = sharedLibraries(program.source);
    if (!libraries) {
        return libraries.error();
    }
    for (const auto& library : *libraries) {
        if (auto added = addHostPath(archive, library); !added) {
            return added;
        }
        const auto replacement = inputs.libraryReplacements.find(library.filename().string());
        if (replacement != inputs.libraryReplacements.end()) {
            const fs::path real = fs::canonical(library, ec);
            if (ec || !fs::is_regular_file(replacement->second, ec)) {
                return Error(ErrorCode::NotFound, "cannot replace " + library.string() + " by " +
                                                      replacement->second.string());
            }
            archive.addFileFrom(real.relative_path().string(), replacement->second, 0644);
        }
    }
    return core::success();
}

void addSkeleton(CpioArchive& archive) {
    for (const char* dir : {"usr/bin", "usr/sbin", "usr/lib", "usr/lib64"}) {
        archive.addDirectory(dir, 0755);
    }
    for (const auto& [link, target] :
         {std::pair{"bin", "usr/bin"}, std::pair{"sbin", "usr/sbin"}, std::pair{"lib", "usr/lib"},
          std::pair{"lib64", "usr/lib64"}}) {
        archive.addSymlink(link, target);
    }
    for (const char* dir : {"dev", "proc", "sys", "run", "mnt", "etc", "etc/slipway", "var",
                            "var/lib", "var/log", "usr/share/slipway/images"}) {
        archive.addDirectory(dir, 0755);
    }
    archive.addDirectory("root", 0700);
    archive.addDirectory("tmp", 01777);
    archive.addDirectory("var/lib/slipway", 0700);
    archive.addSymlink("var/run", "../run");
    archive.addFile("etc/passwd",
                    "root:x:0:0:root:/root:/bin/sh\n"
                    "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n");
    archive.addFile("etc/group", "root:x:0:\nnogroup:x:65534:\n");
    archive.addFile("etc/hosts", "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost\n");
    archive.addFile("etc/nsswitch.conf", "hosts: files dns\nnetworks: files\n");
    archive.addSymlink("etc/mtab", "/proc/self/mounts");
    // busybox acpid runs /etc/acpi/<event> for the ACPI power button (virDomainShutdown):
    // poweroff signals /init (SIGUSR2), which stops slipwayd and powers off.
    archive.addFile("etc/acpi/PWRF/00000080", "#!/bin/sh\nexec /usr/sbin/poweroff\n", 0755);
}

}  // namespace

core::Result<std::vector<std::string>> moduleClosure(std::string_view modulesDep,
                                                     const std::vector<std::string>& names) {
    std::vector<std::string> order;
    std::map<std::string, std::vector<std::string>> depends;
    std::map<std::string, std::string> byName;
    std::istringstream lines{std::string(modulesDep)};
    for (std::string line; std::getline(lines, line);) {
        const auto colon = line.find(':');
        if (colon == std::string::npos) {
            continue;
        }
        const std::string module = line.substr(0, colon);
        order.push_back(module);
        depends[module] = splitWords(std::string_view(line).substr(colon + 1));
        byName.emplace(moduleNameOf(module), module);
    }
    std::set<std::string> wanted;
    std::vector<std::string> pending;
    for (const auto& name : names) {
        std::string key = name;
        std::replace(key.begin(), key.end(), '-', '_');
        const auto found = byName.find(key);
        if (found == byName.end()) {
            return Error(ErrorCode::NotFound, "no kernel module " + name + " in modules.dep");
        }
        pending.push_back(found->second);
    }
    while (!pending.empty()) {
        const std::string module = pending.back();
        pending.pop_back();
        if (!wanted.insert(module).second) {
            continue;
        }
        for (const auto& dependency : depends[module]) {
            pending.push_back(dependency);
        }
    }
    std::vector<std::string> out;
    for (const auto& module : order) {
        if (wanted.contains(module)) {
            out.push_back(module);
        }
    }
    return out;
}

std::string filterModuleAliases(std::string_view text, const std::vector<std::string>& modules) {
    const std::set<std::string> keep(modules.begin(), modules.end());
    std::string out;
    std::istringstream lines{std::string(text)};
    for (std::string line; std::getline(lines, line);) {
        // "alias pattern module" (modules.alias) or "alias symbol:name module" (.symbols)
        const auto words = splitWords(line);
        if (words.size() == 3 && words[0] == "alias") {
            std::string module = words[2];
            std::replace(module.begin(), module.end(), '-', '_');
            if (keep.contains(module)) {
                out += line + "\n";
            }
        }
    }
    return out;
}

core::Result<std::vector<fs::path>> sharedLibraries(const fs::path& program) {
    // ldd exits 1 with "not a dynamic executable" for static ones.
    auto output = runCapture({"ldd", program.string()}, {1});
    if (!output) {
        return output.error();
    }
    std::vector<fs::path> libraries;
    std::istringstream lines(*output);
    for (std::string line; std::getline(lines, line);) {
        // "\tlibz.so.1 => /lib/x86_64-linux-gnu/libz.so.1 (0x...)" or
        // "\t/lib64/ld-linux-x86-64.so.2 (0x...)"; the vDSO has no file.
        const auto words = splitWords(line);
        std::string path;
        if (words.size() >= 3 && words[1] == "=>") {
            if (words[2] == "not") {
                return Error(ErrorCode::NotFound,
                             program.string() + " needs " + words[0] + ", which is not found");
            }
            path = words[2];
        } else if (!words.empty() && words[0].starts_with("/")) {
            path = words[0];
        }
        if (!path.empty() && path.starts_with("/")) {
            libraries.emplace_back(path);
        }
    }
    return libraries;
}

core::Result<void> addHostPath(CpioArchive& archive, const fs::path& hostPath) {
    fs::path current = "/";
    fs::path remaining = hostPath.lexically_normal().relative_path();
    for (int hops = 0; hops < 40; ++hops) {
        auto part = remaining.begin();
        if (part == remaining.end()) {
            return Error(ErrorCode::Invalid, hostPath.string() + " names a directory");
        }
        const fs::path next = current / *part;
        fs::path rest;
        for (auto it = std::next(part); it != remaining.end(); ++it) {
            rest /= *it;
        }
        struct stat info {};
        if (::lstat(next.c_str(), &info) != 0) {
            return Error(ErrorCode::NotFound,
                         "cannot read " + next.string() + ": " + std::strerror(errno));
        }
        const std::string inArchive = next.relative_path().string();
        if (S_ISLNK(info.st_mode)) {
            std::error_code ec;
            const fs::path target = fs::read_symlink(next, ec);
            if (ec) {
                return Error(ErrorCode::Io, "cannot read the link " + next.string());
            }
            if (!archive.contains(inArchive)) {
                archive.addSymlink(inArchive, target.string());
            }
            const fs::path resolved =
                (target.is_absolute() ? target : current / target).lexically_normal();
            current = "/";
            remaining = (resolved / rest).lexically_normal().relative_path();
            continue;
        }
        if (S_ISDIR(info.st_mode)) {
            if (rest.empty()) {
                return Error(ErrorCode::Invalid, hostPath.string() + " names a directory");
            }
            current = next;
            remaining = rest;
            --hops;  // only links count
            continue;
        }
        if (!rest.empty()) {
            return Error(ErrorCode::Invalid, next.string() + " is not a directory");
        }
        archive.addFileFrom(inArchive, next, info.st_mode & 07777);
        return core::success();
    }
    return Error(ErrorCode::Invalid, "too many symlinks on the way to " + hostPath.string());
}

core::Result<CpioArchive> buildGuestArchive(const GuestImageInputs& inputs) {
    CpioArchive archive;
    addSkeleton(archive);
    auto init = core::readFile(inputs.init);
    if (!init) {
        return init.error().wrap("the guest's /init");
    }
    archive.addFile("init", std::move(*init), 0755);
    if (auto added = addBusybox(archive, inputs.busybox); !added) {
        return added.error().wrap("busybox");
    }
    if (!inputs.modulesDir.empty()) {
        if (auto added = addModules(archive, inputs); !added) {
            return added.error();
        }
    }
    for (const auto& program : inputs.programs) {
        if (auto added = addProgram(archive, program, inputs); !added) {
            return added.error().wrap(program.guestPath);
        }
    }
    for (const auto& file : inputs.hostFiles) {
        if (auto added = addHostPath(archive, file); !added) {
            return added.error();
        }
    }
    for (const auto& image : inputs.images) {
        std::error_code ec;
        if (!fs::is_regular_file(image, ec)) {
            return Error(ErrorCode::NotFound, "no image tarball " + image.string());
        }
        archive.addFileFrom("usr/share/slipway/images/" + image.filename().string(), image, 0644);
    }
    return archive;
}

}  // namespace slipway::vm::image

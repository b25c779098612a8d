// SPDX-License-Identifier: Apache-2.0
//
// slipway-mkimage: makes a reproducible OCI image tarball from the static busybox and a few
// files, with no network. The build runs it to make the demo images (resources/images).
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "engine/agent/images/oci_archive_writer.h"
#include "engine/core/atomic_file.h"

namespace {

using namespace slipway;
using namespace slipway::agent::images;

core::Result<std::string> readWholeFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return core::Error(core::ErrorCode::Io, "cannot read " + path);
    }
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The busybox layer: the binary, a link for every applet, and the files a shell expects.
core::Result<std::string> busyboxLayer(const std::string& busybox) {
    auto binary = readWholeFile(busybox);
    if (!binary) {
        return binary.error();
    }
    LayerBuilder layer;
    for (const char* dir : {"bin", "dev", "etc", "home", "proc", "sbin", "sys", "usr", "usr/bin",
                            "usr/sbin", "var"}) {
        layer.addDirectory(dir, 0755);
    }
    layer.addDirectory("root", 0700);
    layer.addDirectory("tmp", 01777);
    layer.addDirectory("var/tmp", 01777);
    layer.addFile("bin/busybox", std::move(*binary), 0755);
    layer.addFile("etc/passwd",
                  "root:x:0:0:root:/root:/bin/sh\n"
                  "nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n");
    layer.addFile("etc/group", "root:x:0:\nnobody:x:65534:\n");
    // The applet list comes from the binary itself, so it matches whatever busybox we copied.
    const std::string command = "'" + busybox + "' --list-full";
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) {
        return core::Error(core::ErrorCode::Io, "cannot run " + command);
    }
    std::string list;
    char buffer[4096];
    std::size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) {
        list.append(buffer, n);
    }
    if (::pclose(pipe) != 0 || list.empty()) {
        return core::Error(core::ErrorCode::Io, command + " failed");
    }
    std::istringstream lines(list);
    std::string applet;
    while (std::getline(lines, applet)) {
        if (applet.empty() || applet == "bin/busybox" || applet.find("..") != std::string::npos) {
            continue;
        }
        layer.addSymlink(applet, "/bin/busybox");
    }
    return layer.build();
}

std::pair<std::string, std::string> splitOnce(const std::string& text, char separator) {
    const auto at = text.find(separator);
    if (at == std::string::npos) {
        return {text, {}};
    }
    return {text.substr(0, at), text.substr(at + 1)};
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Make a reproducible OCI image tarball from busybox and files"};
    std::string output;
    std::vector<std::string> references;
    std::string busybox;
    std::vector<std::string> files;
    std::vector<std::string> dirs;
    std::vector<std::string> labels;
    ImageSpec spec;
    app.add_option("--output", output, "tarball to write")->required();
    app.add_option("--reference", references, "image reference, e.g. slipway.local/hello:1");
    app.add_option("--busybox", busybox, "static busybox for the base layer");
    app.add_option("--file", files, "SRC=DEST[:MODE] into the top layer");
    app.add_option("--dir", dirs, "an empty directory DEST in the top layer");
    app.add_option("--entrypoint", spec.config.entrypoint, "an Entrypoint word (repeat)");
    app.add_option("--cmd", spec.config.cmd, "a Cmd word (repeat)");
    app.add_option("--env", spec.config.env, "NAME=VALUE (repeat)");
    app.add_option("--workdir", spec.config.workingDir, "WorkingDir");
    app.add_option("--user", spec.config.user, "User");
    app.add_option("--expose", spec.config.exposedPorts, "PORT/PROTO (repeat)");
    app.add_option("--label", labels, "KEY=VALUE (repeat)");
    app.add_option("--stop-signal", spec.config.stopSignal, "StopSignal");
    CLI11_PARSE(app, argc, argv);

    spec.references = references;
    for (const auto& label : labels) {
        auto [key, value] = splitOnce(label, '=');
        spec.config.labels[key] = value;
    }
    if (!busybox.empty()) {
        auto base = busyboxLayer(busybox);
        if (!base) {
            std::cerr << "slipway-mkimage: " << base.error().message() << "\n";
            return 1;
        }
        spec.layers.push_back(std::move(*base));
    }
    if (!files.empty() || !dirs.empty()) {
        LayerBuilder top;
        for (const auto& dir : dirs) {
            top.addDirectory(dir, 0755);
        }
        for (const auto& file : files) {
            auto [source, rest] = splitOnce(file, '=');
            auto [dest, modeText] = splitOnce(rest, ':');
            auto content = readWholeFile(source);
            if (!content || dest.empty()) {
                std::cerr << "slipway-mkimage: bad --file " << file << "\n";
                return 1;
            }
            const auto mode = modeText.empty()
                                  ? 0644u
                                  : static_cast<std::uint32_t>(std::stoul(modeText, nullptr, 8));
            top.addFile(dest, std::move(*content), mode);
        }
        auto layer = top.build();
        if (!layer) {
            std::cerr << "slipway-mkimage: " << layer.error().message() << "\n";
            return 1;
        }
        spec.layers.push_back(std::move(*layer));
    }
    auto archive = writeOciArchive({spec});
    if (!archive) {
        std::cerr << "slipway-mkimage: " << archive.error().message() << "\n";
        return 1;
    }
    if (auto written = core::writeFileAtomically(output, *archive); !written) {
        std::cerr << "slipway-mkimage: " << written.error().message() << "\n";
        return 1;
    }
    return 0;
}

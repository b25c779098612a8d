// SPDX-License-Identifier: Apache-2.0
#include "vm/domain_spec.h"

#include <cstdio>

#include "vm/xml_writer.h"

namespace slipway::vm {
namespace {

constexpr const char* kQemuNamespace = "http://libvirt.org/schemas/domain/qemu/1.0";

core::Error invalid(const std::string& what) {
    return core::Error(core::ErrorCode::Invalid, "domain spec: " + what);
}

/// QEMU splits option strings at ',' and '=': a value carrying either would inject options.
bool safeOptionValue(std::string_view value) {
    if (value.empty()) {
        return false;
    }
    for (const char c : value) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '.' || c == ':' || c == '-' || c == '_';
        if (!ok) {
            return false;
        }
    }
    return true;
}

std::string hostForwardRule(const HostForward& forward) {
    return "tcp:" + forward.hostAddress + ":" + std::to_string(forward.hostPort) +
           "-:" + std::to_string(forward.guestPort);
}

std::string hex(int value) {
    char buffer[8];
    std::snprintf(buffer, sizeof buffer, "0x%02x", value);
    return buffer;
}

core::Result<void> validate(const DomainSpec& spec) {
    if (spec.name.empty()) {
        return invalid("name is required");
    }
    if (spec.memoryMiB <= 0) {
        return invalid("memory must be positive");
    }
    if (spec.vcpus <= 0) {
        return invalid("vcpus must be positive");
    }
    if (spec.kernel.empty()) {
        return invalid("a kernel is required (direct kernel boot)");
    }
    for (const auto& disk : spec.disks) {
        if (disk.file.empty() || disk.target.empty()) {
            return invalid("a disk needs a file and a target");
        }
        if (disk.format != "qcow2" && disk.format != "raw") {
            return invalid("disk format '" + disk.format + "' is not qcow2 or raw");
        }
        if (disk.cache == "unsafe") {
            return invalid("cache='unsafe' loses acknowledged writes when the host crashes");
        }
    }
    for (const auto& nic : spec.interfaces) {
        if (nic.network.empty()) {
            return invalid("a network interface needs a network");
        }
        if (!nic.macAddress.empty() && !safeOptionValue(nic.macAddress)) {
            return invalid("MAC address '" + nic.macAddress + "' is malformed");
        }
        if (nic.pciSlot < 3 || nic.pciSlot > 0x1f ||
            (spec.network && nic.pciSlot == spec.userNetwork.pciSlot)) {
            return invalid("PCI slot " + std::to_string(nic.pciSlot) + " is out of range or taken");
        }
    }
    if (spec.network) {
        const auto& net = spec.userNetwork;
        if (!safeOptionValue(net.netdevId)) {
            return invalid("netdev id '" + net.netdevId + "' is not a plain identifier");
        }
        if (!net.macAddress.empty() && !safeOptionValue(net.macAddress)) {
            return invalid("MAC address '" + net.macAddress + "' is malformed");
        }
        if (net.pciSlot < 3 || net.pciSlot > 0x1f) {
            return invalid("PCI slot " + std::to_string(net.pciSlot) + " is out of range");
        }
        for (const auto& forward : net.forwards) {
            if (!safeOptionValue(forward.hostAddress) || forward.hostPort == 0 ||
                forward.guestPort == 0) {
                return invalid("host forward " + hostForwardRule(forward) + " is malformed");
            }
        }
    }
    return core::success();
}

}  // namespace

std::string_view virtTypeName(VirtType type) {
    switch (type) {
        case VirtType::Kvm:
            return "kvm";
        case VirtType::Qemu:
            return "qemu";
        case VirtType::Test:
            return "test";
    }
    return "qemu";
}

std::string_view machineTypeName(MachineType type) {
    switch (type) {
        case MachineType::Pc:
            return "pc";
        case MachineType::Q35:
            return "q35";
        case MachineType::Microvm:
            return "microvm";
    }
    return "pc";
}

core::Result<MachineType> parseMachineType(std::string_view name) {
    for (const auto type : {MachineType::Pc, MachineType::Q35, MachineType::Microvm}) {
        if (name == machineTypeName(type)) {
            return type;
        }
    }
    return core::Error(core::ErrorCode::BadRequest, "unknown machine type '" + std::string(name) +
                                                        "' (want pc, q35 or microvm)");
}

std::string userNetdevArgument(const UserNetwork& network) {
    std::string argument = "user,id=" + network.netdevId;
    for (const auto& forward : network.forwards) {
        argument += ",hostfwd=" + hostForwardRule(forward);
    }
    return argument;
}

std::string hostForwardAddCommand(const std::string& netdevId, const HostForward& forward) {
    return "hostfwd_add " + netdevId + " " + hostForwardRule(forward);
}

std::string hostForwardRemoveCommand(const std::string& netdevId, const HostForward& forward) {
    return "hostfwd_remove " + netdevId + " tcp:" + forward.hostAddress + ":" +
           std::to_string(forward.hostPort);
}

core::Result<std::string> domainXml(const DomainSpec& spec) {
    if (auto valid = validate(spec); !valid) {
        return valid.error();
    }
    const bool microvm = spec.machine == MachineType::Microvm;
    XmlWriter w;
    w.start("domain").attribute("type", virtTypeName(spec.type));
    if (spec.network && spec.type != VirtType::Test) {
        w.attribute("xmlns:qemu", kQemuNamespace);
    }
    w.element("name", spec.name);
    if (!spec.uuid.empty()) {
        w.element("uuid", spec.uuid);
    }
    if (!spec.title.empty()) {
        w.element("title", spec.title);
    }
    w.start("memory").attribute("unit", "MiB").text(std::to_string(spec.memoryMiB)).end();
    w.element("vcpu", std::to_string(spec.vcpus));

    w.start("os");
    w.start("type").attribute("arch", "x86_64");
    if (spec.type != VirtType::Test) {
        w.attribute("machine", machineTypeName(spec.machine));
    }
    w.text("hvm").end();
    w.element("kernel", spec.kernel.string());
    if (!spec.initrd.empty()) {
        w.element("initrd", spec.initrd.string());
    }
    if (!spec.cmdline.empty()) {
        w.element("cmdline", spec.cmdline);
    }
    w.end();  // os

    const bool tcgCache = spec.type == VirtType::Qemu && spec.tcgCacheMiB > 0;
    if (!microvm || tcgCache) {
        w.start("features");
        if (!microvm) {
            // The ACPI power button is how virDomainShutdown asks the guest to stop.
            w.start("acpi").end().start("apic").end();
        }
        if (tcgCache) {
            w.start("tcg")
                .start("tb-cache")
                .attribute("unit", "MiB")
                .text(std::to_string(spec.tcgCacheMiB))
                .end()
                .end();
        }
        w.end();  // features
    }
    if (spec.type == VirtType::Kvm) {
        w.start("cpu").attribute("mode", "host-passthrough").end();
    }
    w.start("clock").attribute("offset", "utc").end();
    // A guest that reboots or panics (panic=-1 reboots) stops: the manager then reports it,
    // with the console's last lines, instead of a machine rebooting in a loop.
    w.element("on_poweroff", "destroy");
    w.element("on_reboot", "destroy");
    w.element("on_crash", "destroy");

    w.start("devices");
    for (const auto& disk : spec.disks) {
        w.start("disk").attribute("type", "file").attribute("device", "disk");
        w.start("driver").attribute("name", "qemu").attribute("type", disk.format);
        if (!disk.cache.empty()) {
            w.attribute("cache", disk.cache);
        }
        w.end();
        w.start("source").attribute("file", disk.file.string()).end();
        w.start("target").attribute("dev", disk.target).attribute("bus", "virtio").end();
        w.end();  // disk
    }
    if (!spec.serialLog.empty()) {
        w.start("serial").attribute("type", "file");
        w.start("source")
            .attribute("path", spec.serialLog.string())
            .attribute("append", "on")
            .end();
        w.start("target").attribute("port", "0").end();
        w.end();  // serial
    }
    for (const auto& nic : spec.interfaces) {
        w.start("interface").attribute("type", "network");
        if (!nic.macAddress.empty()) {
            w.start("mac").attribute("address", nic.macAddress).end();
        }
        w.start("source").attribute("network", nic.network).end();
        w.start("model").attribute("type", "virtio").end();
        if (spec.type != VirtType::Test && !microvm) {
            // No option ROM (the kernel boots directly) and a fixed slot after the user NIC.
            w.start("rom").attribute("enabled", "no").end();
            w.start("address")
                .attribute("type", "pci")
                .attribute("domain", "0x0000")
                .attribute("bus", "0x00")
                .attribute("slot", hex(nic.pciSlot))
                .attribute("function", "0x0")
                .end();
        }
        w.end();  // interface
    }
    w.start("controller").attribute("type", "usb").attribute("model", "none").end();
    if (spec.freePageReporting && !microvm) {
        w.start("memballoon")
            .attribute("model", "virtio")
            .attribute("freePageReporting", "on")
            .end();
    } else {
        w.start("memballoon").attribute("model", "none").end();
    }
    w.end();  // devices

    if (spec.securityLabel == SecurityLabel::RunAsRoot) {
        w.start("seclabel").attribute("type", "static").attribute("model", "dac");
        w.attribute("relabel", "no");
        w.element("label", "+0:+0");
        w.end();
    }

    if (spec.network && spec.type != VirtType::Test) {
        const auto& net = spec.userNetwork;
        std::string device = microvm ? "virtio-net-device,netdev=" + net.netdevId
                                     : "virtio-net-pci,netdev=" + net.netdevId;
        if (!net.macAddress.empty()) {
            device += ",mac=" + net.macAddress;
        }
        if (!microvm) {
            if (spec.machine == MachineType::Q35) {
                device += ",bus=pcie.0";
            }
            // No option ROM: the guest boots its kernel directly, never from the network.
            device += ",addr=" + hex(net.pciSlot) + ",romfile=";
        }
        w.start("qemu:commandline");
        for (const std::string& arg :
             {std::string("-netdev"), userNetdevArgument(net), std::string("-device"), device}) {
            w.start("qemu:arg").attribute("value", arg).end();
        }
        w.end();
    }
    w.end();  // domain
    return w.finish();
}

core::Result<std::string> isolatedNetworkXml(const IsolatedNetworkSpec& spec) {
    if (spec.name.empty()) {
        return core::Error(core::ErrorCode::Invalid, "network spec: name is required");
    }
    XmlWriter w;
    w.start("network");
    w.element("name", spec.name);
    if (!spec.uuid.empty()) {
        w.element("uuid", spec.uuid);
    }
    // One segment without loops: no spanning tree, no forwarding delay. No <ip> and no
    // <forward>: the host has no address on the bridge (libvirt also turns IPv6 off on it).
    w.start("bridge").attribute("stp", "off").attribute("delay", "0").end();
    w.end();  // network
    return w.finish();
}

}  // namespace slipway::vm

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/core/result.h"

namespace slipway::store::detail {

/// Where a paged list resumes: the revision the list is pinned to and the last key returned.
struct ContinueToken {
    std::int64_t revision = 0;
    std::string lastKey;

    friend bool operator==(const ContinueToken&, const ContinueToken&) = default;
};

/// The opaque text clients pass back as `continue`: "<revision>.<hex of the last key>". Hex
/// keeps any key byte safe in a URL query without escaping; clients never look inside.
std::string encodeContinueToken(const ContinueToken& token);
/// BadRequest for anything encodeContinueToken did not produce.
core::Result<ContinueToken> decodeContinueToken(std::string_view text);

}  // namespace slipway::store::detail

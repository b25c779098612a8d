// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace slipway::core {

/// Go's %q of a string: in double quotes, with quotes, backslashes and control characters
/// escaped (\n, \t, \r, \xNN), as Kubernetes' messages and the downward API's label files
/// print values.
std::string goQuote(std::string_view text);

/// Kubernetes' $(VAR) expansion (third_party/forked/golang/expansion): $(NAME) is NAME's value
/// when `env` has it and stays as written otherwise; $$ is a literal $.
std::string expandVariables(std::string_view text, const std::map<std::string, std::string>& env);

}  // namespace slipway::core

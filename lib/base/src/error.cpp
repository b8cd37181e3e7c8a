#include <async/error.hpp>

#include <cstring>

namespace async {

Error io_error(std::string_view what, std::string_view path, int err) {
    ErrorKind kind = io_error_kind(err);
    std::string message = "cannot ";
    message.append(what).append(" '").append(path).append("': ").append(std::strerror(err));
    return Error{kind, message, kind == ErrorKind::environment ? k_io_environment_hint : ""};
}

} // namespace async

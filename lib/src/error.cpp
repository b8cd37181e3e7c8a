#include <async/error.hpp>

namespace async {

int exit_code(ErrorKind kind) {
    switch (kind) {
    case ErrorKind::no: return 1;
    case ErrorKind::usage: return 2;
    case ErrorKind::data: return 3;
    case ErrorKind::environment: return 4;
    case ErrorKind::interrupted: return 130;
    }
    return 3;
}

} // namespace async

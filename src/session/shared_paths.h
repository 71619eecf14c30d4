#pragma once
// Where glassbox finds data that does not live in the repository.
#include <filesystem>

namespace glassbox {

// The shared test data: $GLASSBOX_SHARED, else ../shared beside the repository root.
std::filesystem::path shared_dir();

// The model used when --model is not given: $GLASSBOX_MODEL, else the project's demo model, else
// ../shared/models/stories260K; throws an Error that says how to get one when none exists.
std::filesystem::path default_model_dir();

}  // namespace glassbox

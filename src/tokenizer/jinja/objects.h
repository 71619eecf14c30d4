#pragma once
// The runtime objects the globals make: namespace() (the one mutable value: {% set ns.x = ... %}),
// built-in functions, joiner() and cycler().
#include <string>

#include "tokenizer/jinja/runtime.h"

namespace glassbox::jinja {

class Namespace : public Object {
 public:
  const char* type_name() const override { return "Namespace"; }
  std::string repr() const override;
  Value attribute(const std::string& name) override;
  int depth() const override { return attributes_.depth(); }
  void set(const std::string& name, Value value);
  void release() override { attributes_ = Dict(); }

 private:
  Dict attributes_;
};

using FunctionFn = Value (*)(Runtime& runtime, Arguments& args);

class Function : public Callable {
 public:
  Function(const char* name, FunctionFn fn) : name_(name), fn_(fn) {}
  const char* type_name() const override { return "function"; }
  std::string repr() const override { return std::string("<function ") + name_ + ">"; }
  Value call(Arguments& args, Runtime& runtime) override { return fn_(runtime, args); }

 private:
  const char* name_;
  FunctionFn fn_;
};

}  // namespace glassbox::jinja

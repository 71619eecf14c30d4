#include "eval/logistic_regression.h"

#include <cmath>
#include <deque>

#include "base/error.h"

namespace glassbox {
namespace {

using Eigen::MatrixXd;
using Eigen::VectorXd;

// The objective over the parameters packed as [W column-major, b]: its value, and its gradient in `grad`.
class Objective {
 public:
  Objective(const MatrixXd& x, const std::vector<int>& y, int classes, double l2)
      : x_(x), y_(y), onehot_(MatrixXd::Zero(x.rows(), classes)), classes_(classes), l2_(l2) {
    for (size_t i = 0; i < y.size(); ++i) onehot_(Eigen::Index(i), y[i]) = 1;
  }

  Eigen::Index size() const { return (x_.cols() + 1) * classes_; }

  double operator()(const VectorXd& theta, VectorXd& grad) const {
    const Eigen::Index d = x_.cols();
    const Eigen::Map<const MatrixXd> w(theta.data(), d, classes_);
    const Eigen::Map<const Eigen::RowVectorXd> b(theta.data() + d * classes_, classes_);
    MatrixXd z = x_ * w;
    z.rowwise() += b;
    double loss = 0;
    for (Eigen::Index i = 0; i < z.rows(); ++i) {
      const double max = z.row(i).maxCoeff();
      const double log_sum = max + std::log((z.row(i).array() - max).exp().sum());
      loss += log_sum - z(i, y_[size_t(i)]);
      z.row(i) = (z.row(i).array() - log_sum).exp().matrix();  // the softmax
    }
    z -= onehot_;  // d loss / d logits
    grad.resize(size());
    Eigen::Map<MatrixXd>(grad.data(), d, classes_) = x_.transpose() * z + l2_ * w;
    Eigen::Map<Eigen::RowVectorXd>(grad.data() + d * classes_, classes_) = z.colwise().sum();
    return loss + 0.5 * l2_ * w.squaredNorm();
  }

 private:
  const MatrixXd& x_;
  const std::vector<int>& y_;
  MatrixXd onehot_;
  int classes_;
  double l2_;
};

// Limited-memory BFGS with a backtracking (Armijo) line search. The objective is smooth and strictly convex
// (l2 > 0), so this reaches its single minimum. Returns the iterations used; `converged` when the gradient
// vanished to within `tolerance` rather than running out of iterations.
int minimize(const Objective& f, VectorXd& x, int max_iterations, double tolerance, bool& converged) {
  constexpr size_t kMemory = 10;
  std::deque<VectorXd> s_list, y_list;
  std::deque<double> rho_list;
  VectorXd g, g_new, x_new;
  double fx = f(x, g);
  converged = false;
  for (int it = 0; it < max_iterations; ++it) {
    if (g.lpNorm<Eigen::Infinity>() <= tolerance) {
      converged = true;
      return it;
    }
    // Two-loop recursion: d = -H g with H the inverse-Hessian estimate from the last kMemory steps.
    VectorXd q = g;
    std::vector<double> alpha(s_list.size());
    for (size_t i = s_list.size(); i-- > 0;) {
      alpha[i] = rho_list[i] * s_list[i].dot(q);
      q -= alpha[i] * y_list[i];
    }
    const double gamma = s_list.empty() ? 1.0 / std::max(1.0, g.norm()) : s_list.back().dot(y_list.back()) / y_list.back().squaredNorm();
    VectorXd d = gamma * q;
    for (size_t i = 0; i < s_list.size(); ++i) d += s_list[i] * (alpha[i] - rho_list[i] * y_list[i].dot(d));
    d = -d;
    double slope = g.dot(d);
    if (slope >= 0) {  // not a descent direction: forget the curvature pairs, step down the gradient
      s_list.clear(), y_list.clear(), rho_list.clear();
      d = -g / std::max(1.0, g.norm());
      slope = g.dot(d);
    }
    double step = 1, f_new = 0;
    for (;; step *= 0.5) {
      x_new = x + step * d;
      f_new = f(x_new, g_new);
      if (f_new <= fx + 1e-4 * step * slope) break;
      if (step < 1e-12) return it;  // no decrease left at double precision: as good as it gets
    }
    VectorXd s = x_new - x, y = g_new - g;
    const double sy = s.dot(y);
    if (sy > 1e-12 * y.squaredNorm()) {
      s_list.push_back(std::move(s)), y_list.push_back(std::move(y)), rho_list.push_back(1.0 / sy);
      if (s_list.size() > kMemory) s_list.pop_front(), y_list.pop_front(), rho_list.pop_front();
    }
    x.swap(x_new);
    g.swap(g_new);
    fx = f_new;
  }
  return max_iterations;
}

}  // namespace

LogisticRegression LogisticRegression::fit(const Eigen::MatrixXf& x, const std::vector<int>& y, int classes,
                                           const LogisticOptions& options) {
  if (x.rows() == 0 || size_t(x.rows()) != y.size()) fail("logistic regression: need one label per sample");
  if (classes < 2) fail("logistic regression: need at least two classes");
  for (int c : y)
    if (c < 0 || c >= classes) fail("logistic regression: label " + std::to_string(c) + " is out of range");
  if (!(options.l2 > 0)) fail("--l2 must be > 0");
  if (!x.allFinite()) fail("logistic regression: the features hold NaN or infinite values");

  LogisticRegression m;
  const MatrixXd xd = x.cast<double>();
  m.mean_ = xd.colwise().mean();
  const Eigen::RowVectorXd sd = ((xd.rowwise() - m.mean_).array().square().colwise().mean()).sqrt();
  m.inv_scale_ = sd.unaryExpr([](double s) { return s > 0 ? 1.0 / s : 1.0; });  // a constant feature stays 0
  const MatrixXd z = m.standardize(x);
  const Objective objective(z, y, classes, options.l2);
  VectorXd theta = VectorXd::Zero(objective.size());
  // The summed loss grows with the sample count; so does the gradient the optimum tolerates.
  const double tolerance = 1e-6 * double(x.rows());
  m.iterations_ = minimize(objective, theta, options.max_iterations, tolerance, m.converged_);
  m.weights_ = Eigen::Map<const MatrixXd>(theta.data(), x.cols(), classes);
  m.bias_ = Eigen::Map<const Eigen::RowVectorXd>(theta.data() + x.cols() * classes, classes);
  return m;
}

Eigen::MatrixXd LogisticRegression::standardize(const Eigen::MatrixXf& x) const {
  if (x.cols() != mean_.size()) fail("logistic regression: features of the wrong width");
  return (x.cast<double>().rowwise() - mean_).array().rowwise() * inv_scale_.array();
}

std::vector<int> LogisticRegression::predict(const Eigen::MatrixXf& x) const {
  MatrixXd z = standardize(x) * weights_;
  z.rowwise() += bias_;
  std::vector<int> classes(size_t(z.rows()));
  for (Eigen::Index i = 0; i < z.rows(); ++i) z.row(i).maxCoeff(&classes[size_t(i)]);
  return classes;
}

double accuracy(const std::vector<int>& predicted, const std::vector<int>& truth) {
  if (predicted.size() != truth.size() || truth.empty()) fail("accuracy: need as many predictions as labels");
  size_t right = 0;
  for (size_t i = 0; i < truth.size(); ++i) right += predicted[i] == truth[i];
  return double(right) / double(truth.size());
}

}  // namespace glassbox

#pragma once
// Multinomial logistic regression with an L2 penalty, the model scikit-learn's LogisticRegression(C = 1/l2)
// fits: the summed cross-entropy plus ½·l2·‖W‖² (the intercepts are not penalized), minimized by L-BFGS.
// Features are standardized with the training set's mean and standard deviation first, as a
// StandardScaler would, so one penalty suits every layer however large its activations grow.
#include <Eigen/Core>
#include <vector>

namespace glassbox {

struct LogisticOptions {
  double l2 = 1.0;
  int max_iterations = 1000;
};

class LogisticRegression {
 public:
  // `x` holds one sample per row; `y` the class of each, in [0, classes).
  static LogisticRegression fit(const Eigen::MatrixXf& x, const std::vector<int>& y, int classes,
                                const LogisticOptions& options = {});

  std::vector<int> predict(const Eigen::MatrixXf& x) const;
  int iterations() const { return iterations_; }
  bool converged() const { return converged_; }

 private:
  Eigen::MatrixXd standardize(const Eigen::MatrixXf& x) const;

  Eigen::RowVectorXd mean_, inv_scale_;
  Eigen::MatrixXd weights_;   // [features, classes]
  Eigen::RowVectorXd bias_;   // [classes]
  int iterations_ = 0;
  bool converged_ = false;
};

// The fraction of `predicted` equal to `truth`.
double accuracy(const std::vector<int>& predicted, const std::vector<int>& truth);

}  // namespace glassbox

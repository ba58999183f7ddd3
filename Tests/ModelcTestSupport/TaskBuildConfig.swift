/// The build the task tests run in every way they run one (Spec.md §14.6): ETH's bundled candles,
/// a 3-trial search halved over 2 windows, tiny models — 8 tasks in 3 stages, seconds to train.
public enum TaskBuildConfig {
    public static let yaml = """
        name: eth-tasks
        data: {files: [\(RepositoryPaths.root.appendingPathComponent("Models/data/ETHUSDT_1h_recent.csv").path)], from: 2025-03-01}
        walk_forward: {train: 60d, test: 7d, windows: 2, holdout: 14d}
        trees: {num_trees: 15, num_leaves: 5, early_stopping_rounds: 5}
        networks:
          long: {sequence_length: 6, hidden_size: 4, heads: 1, fc_hidden: 4, epochs: 1}
          short: {enabled: false}
        search: {trials: 3, trees: {learning_rate: [0.03, 0.2]}}
        blend: {confidence: 0}
        precision: int8-dynamic
        """
}

"""The scripts here are programs, not test modules: keep doctest collection out of them
(they import torch, which the suite treats as optional)."""

collect_ignore = ["as_headwater.py", "custom_function_tied_weights.py", "embedding_from_pandas.py",
                  "mlp_custom_dataset.py", "regression_early_stopping.py", "vae.py"]
collect_ignore += ["cnn_digits_checkpoint.py", "gan_digits.py", "packed_lstm_classifier.py",
                   "resnet_digits_amp.py", "tiny_transformer_lm.py"]

"""Pure logic of the trainer: datasets, training and export, without I/O."""

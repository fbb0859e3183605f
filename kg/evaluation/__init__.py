"""Layer 5, evaluation: scoring a build against annotated check sets and fitting the platform
scorer. Receives the build function from kg.api rather than importing it."""

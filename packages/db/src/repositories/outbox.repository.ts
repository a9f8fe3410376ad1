// Repository placeholder: filled in by the issue 9 refactor.
export {};

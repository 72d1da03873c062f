// One regional brand engagement (Program B) from application to completion.
export {};

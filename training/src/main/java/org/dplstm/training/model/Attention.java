package org.dplstm.training.model;

import ai.djl.ndarray.NDArray;

/**
 * One pass of an encoder-decoder's attention and output layers over decoder states (Luong, Pham
 * and Manning 2015, §3): the weights α (B, T, S) = softmax over source positions of the scores,
 * the context c (B, T, F) = Σ_s α_s h̄_s, the attentional state h̃ = tanh(W_c [c; h]) (T, B, F)
 * and the logits W_o h̃ + b (T, B, V), the last two time-major.
 */
public record Attention(NDArray weights, NDArray context, NDArray attentional, NDArray logits) {}

package dev.weir.inspector.internals;

import java.util.List;

/**
 * An audio stream's panel (JSON): the decoded and (when the inputs are read) original waveforms over the same span of
 * stream time, and the fate of every 20 ms frame in it.
 *
 * @param sampleRate     the decoded audio's rate (the tokenizer's)
 * @param hopSamples     samples per frame
 * @param stagesPerFrame token slots per frame
 * @param start          seconds of stream time at the left edge
 * @param end            seconds at the right edge
 * @param decoded        the decoded waveform (null before the first decoded audio)
 * @param original       the original waveform (null when the inputs are not read)
 * @param frames         the frames between start and end, oldest first
 * @param inputsRead     whether the inspector reads the input topic
 */
public record AudioView(int sampleRate, int hopSamples, int stagesPerFrame, double start, double end, Waveform decoded,
                        Waveform original, List<AudioFrameMark> frames, boolean inputsRead) {
}

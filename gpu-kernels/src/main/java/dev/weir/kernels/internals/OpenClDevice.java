package dev.weir.kernels.internals;

import dev.weir.kernels.KernelUnavailableException;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_platform_id;
import org.jocl.cl_program;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One OpenCL device with its context, its command queue and the Weir kernel program (video.cl + patch_step.cl),
 * built once per process and shared by every {@link OpenClVideoKernels} on that device (each has its own kernel
 * objects and buffers): streams share one context and one in-order queue, so the device runs their work one
 * command after the other. The device also keeps the account of the memory streams hold on it
 * ({@link #reserve}). Contexts live as long as the process.
 */
final class OpenClDevice {

    private static final Logger LOG = LoggerFactory.getLogger(OpenClDevice.class);
    private static final String PROGRAM = "/dev/weir/kernels/opencl/video.cl";
    private static final String PATCH_STEP_PROGRAM = "/dev/weir/kernels/opencl/patch_step.cl";
    private static final Map<String, OpenClDevice> OPEN = new ConcurrentHashMap<>();

    final cl_device_id device;
    final cl_context context;
    final cl_program program;
    /** The one in-order queue of the process on this device, with profiling on (stage times of the fused step). */
    final cl_command_queue queue;
    /** CL_DEVICE_GLOBAL_MEM_SIZE. */
    final long globalMemBytes;
    /** Bytes the open patch steps and their shapes hold on the device ({@link #reserve}, {@link #free}). */
    private final AtomicLong reserved = new AtomicLong();
    final String name;
    final boolean gpu;
    final int computeUnits;
    final long localMemBytes;
    /** CL_DEVICE_MAX_MEM_ALLOC_SIZE: the largest single buffer. */
    final long maxAllocBytes;
    /** CL_DEVICE_MEM_BASE_ADDR_ALIGN in bytes: where a sub-buffer may start. */
    final long baseAddressAlignBytes;
    /** The search kernel chosen per search shape by {@link OpenClSearch} when tuning, for the device's lifetime. */
    final Map<String, OpenClSearch.Kernel> searchChoices = new ConcurrentHashMap<>();

    private OpenClDevice(cl_platform_id platform, cl_device_id device, String name, boolean gpu) {
        this.device = device;
        this.name = name;
        this.gpu = gpu;
        int[] units = new int[1];
        CL.clGetDeviceInfo(device, CL.CL_DEVICE_MAX_COMPUTE_UNITS, Sizeof.cl_uint, Pointer.to(units), null);
        this.computeUnits = Math.max(1, units[0]);
        long[] localMem = new long[1];
        CL.clGetDeviceInfo(device, CL.CL_DEVICE_LOCAL_MEM_SIZE, Sizeof.cl_ulong, Pointer.to(localMem), null);
        this.localMemBytes = localMem[0];
        long[] maxAlloc = new long[1];
        CL.clGetDeviceInfo(device, CL.CL_DEVICE_MAX_MEM_ALLOC_SIZE, Sizeof.cl_ulong, Pointer.to(maxAlloc), null);
        this.maxAllocBytes = maxAlloc[0];
        int[] alignBits = new int[1];
        CL.clGetDeviceInfo(device, CL.CL_DEVICE_MEM_BASE_ADDR_ALIGN, Sizeof.cl_uint, Pointer.to(alignBits), null);
        this.baseAddressAlignBytes = Math.max(4, alignBits[0] / 8);
        long[] globalMem = new long[1];
        CL.clGetDeviceInfo(device, CL.CL_DEVICE_GLOBAL_MEM_SIZE, Sizeof.cl_ulong, Pointer.to(globalMem), null);
        this.globalMemBytes = globalMem[0];
        cl_context_properties properties = new cl_context_properties();
        properties.addProperty(CL.CL_CONTEXT_PLATFORM, platform);
        this.context = CL.clCreateContext(properties, 1, new cl_device_id[] {device}, null, null, null);
        try {
            this.program = build(context, device, name, source(PROGRAM), source(PATCH_STEP_PROGRAM));
            this.queue = CL.clCreateCommandQueue(context, device, CL.CL_QUEUE_PROFILING_ENABLE, null);
        } catch (RuntimeException e) {
            CL.clReleaseContext(context); // not cached when the build fails: release it, or every retry leaks one
            throw e;
        }
    }

    /** A device found on the platforms, before a context is made. */
    record Candidate(String key, cl_platform_id platform, cl_device_id device, String name, boolean gpu) {
        String describe() {
            return name + (gpu ? " (GPU)" : " (not a GPU)");
        }
    }

    /**
     * Opens the device whose name contains {@code filter} (case-insensitive), or else the first GPU, or
     * else (unless {@code gpuOnly}) the first device of any type.
     */
    static OpenClDevice select(String filter, boolean gpuOnly) {
        List<Candidate> candidates;
        try {
            CL.setExceptionsEnabled(true);
            candidates = candidates();
        } catch (LinkageError e) {
            throw new KernelUnavailableException("the OpenCL runtime could not be loaded (" + e.getMessage()
                    + "); JOCL loads libOpenCL.so: install ocl-icd-opencl-dev (or put a libOpenCL.so symlink to "
                    + "libOpenCL.so.1 on LD_LIBRARY_PATH) and a driver such as pocl-opencl-icd", e);
        } catch (CLException e) {
            throw new KernelUnavailableException("no OpenCL platform (" + e.getMessage()
                    + "); install an OpenCL driver, or point OCL_ICD_VENDORS at its .icd folder", e);
        }
        if (candidates.isEmpty()) {
            throw new KernelUnavailableException("no OpenCL device on any platform");
        }
        Candidate chosen = null;
        if (filter != null && !filter.isBlank()) {
            String wanted = filter.toLowerCase(Locale.ROOT);
            chosen = candidates.stream().filter(c -> c.name().toLowerCase(Locale.ROOT).contains(wanted)).findFirst()
                    .orElseThrow(() -> new KernelUnavailableException("no OpenCL device name contains WEIR_OPENCL_DEVICE='"
                            + filter + "'; devices: " + describe(candidates)));
        } else {
            chosen = candidates.stream().filter(Candidate::gpu).findFirst().orElse(null);
            if (chosen == null) {
                if (gpuOnly) {
                    throw new KernelUnavailableException("only non-GPU OpenCL devices: " + describe(candidates));
                }
                chosen = candidates.getFirst();
            }
        }
        Candidate c = chosen;
        try {
            return OPEN.computeIfAbsent(c.key(), k -> {
                OpenClDevice opened = new OpenClDevice(c.platform(), c.device(), c.name(), c.gpu());
                LOG.info("OpenCL device {} ready, program built", opened.name);
                return opened;
            });
        } catch (CLException e) {
            throw new KernelUnavailableException("OpenCL device " + c.name() + " could not be opened: " + e.getMessage(), e);
        }
    }

    private static String describe(List<Candidate> candidates) {
        return String.join(", ", candidates.stream().map(Candidate::describe).toList());
    }

    private static List<Candidate> candidates() {
        int[] count = new int[1];
        CL.clGetPlatformIDs(0, null, count);
        cl_platform_id[] platforms = new cl_platform_id[count[0]];
        CL.clGetPlatformIDs(platforms.length, platforms, null);
        List<Candidate> all = new ArrayList<>();
        for (int p = 0; p < platforms.length; p++) {
            int[] deviceCount = new int[1];
            try {
                CL.clGetDeviceIDs(platforms[p], CL.CL_DEVICE_TYPE_ALL, 0, null, deviceCount);
            } catch (CLException e) {
                continue; // CL_DEVICE_NOT_FOUND on this platform
            }
            cl_device_id[] devices = new cl_device_id[deviceCount[0]];
            CL.clGetDeviceIDs(platforms[p], CL.CL_DEVICE_TYPE_ALL, devices.length, devices, null);
            for (int d = 0; d < devices.length; d++) {
                long[] type = new long[1];
                CL.clGetDeviceInfo(devices[d], CL.CL_DEVICE_TYPE, Sizeof.cl_long, Pointer.to(type), null);
                all.add(new Candidate(p + ":" + d, platforms[p], devices[d], deviceName(devices[d]),
                        (type[0] & CL.CL_DEVICE_TYPE_GPU) != 0));
            }
        }
        return all;
    }

    private static String deviceName(cl_device_id device) {
        long[] size = new long[1];
        CL.clGetDeviceInfo(device, CL.CL_DEVICE_NAME, 0, null, size);
        byte[] buffer = new byte[(int) size[0]];
        CL.clGetDeviceInfo(device, CL.CL_DEVICE_NAME, buffer.length, Pointer.to(buffer), null);
        return new String(buffer, 0, Math.max(0, buffer.length - 1), StandardCharsets.UTF_8).trim();
    }

    /**
     * Reserves {@code bytes} of device memory for a stream's patch step if the total held stays within
     * {@code limit}; false (nothing reserved) when it would not.
     */
    boolean reserve(long bytes, long limit) {
        while (true) {
            long held = reserved.get();
            if (held + bytes > limit) {
                return false;
            }
            if (reserved.compareAndSet(held, held + bytes)) {
                return true;
            }
        }
    }

    /** Returns what {@link #reserve} took. */
    void free(long bytes) {
        reserved.addAndGet(-bytes);
    }

    /** Bytes reserved now by every patch step of the process on this device. */
    long reservedBytes() {
        return reserved.get();
    }

    /**
     * Whether {@code kernel} can run work-groups of {@code items} here: its CL_KERNEL_WORK_GROUP_SIZE (which
     * registers limit) and its local memory against the device's.
     */
    boolean fits(cl_kernel kernel, int items) {
        long[] size = new long[1];
        CL.clGetKernelWorkGroupInfo(kernel, device, CL.CL_KERNEL_WORK_GROUP_SIZE, Sizeof.size_t, Pointer.to(size), null);
        long[] local = new long[1];
        CL.clGetKernelWorkGroupInfo(kernel, device, CL.CL_KERNEL_LOCAL_MEM_SIZE, Sizeof.cl_ulong, Pointer.to(local), null);
        return size[0] >= items && local[0] <= localMemBytes;
    }

    private static String source(String resource) {
        try (InputStream in = OpenClDevice.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new KernelUnavailableException("OpenCL program " + resource + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static cl_program build(cl_context context, cl_device_id device, String name, String... sources) {
        cl_program program = CL.clCreateProgramWithSource(context, sources.length, sources, null, null);
        try {
            CL.clBuildProgram(program, 1, new cl_device_id[] {device}, "-cl-std=CL1.2", null, null);
        } catch (CLException e) {
            long[] size = new long[1];
            CL.clGetProgramBuildInfo(program, device, CL.CL_PROGRAM_BUILD_LOG, 0, null, size);
            byte[] log = new byte[(int) size[0]];
            CL.clGetProgramBuildInfo(program, device, CL.CL_PROGRAM_BUILD_LOG, log.length, Pointer.to(log), null);
            CL.clReleaseProgram(program);
            throw new KernelUnavailableException("the Weir OpenCL program does not build on " + name + ": "
                    + new String(log, StandardCharsets.UTF_8).trim(), e);
        }
        return program;
    }
}

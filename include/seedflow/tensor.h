/* tensor.h — dense row-major tensors of rank 0..4.
 * Ownership: a tensor is an immutable value once built and is reference counted.
 * Every function that returns an sf_tensor * hands the caller one reference; release it
 * with sf_tensor_unref(). Functions that take a tensor argument borrow it. */
#ifndef SEEDFLOW_TENSOR_H
#define SEEDFLOW_TENSOR_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "status.h"

#define SF_MAX_RANK 4
/* Largest element count seedflow allocates (16 Mi elements); larger is an error. */
#define SF_MAX_ELEMENTS ((int64_t)1 << 24)

/* New dtypes go at the end: goldens store the numbers. */
typedef enum sf_dtype { SF_FLOAT32, SF_FLOAT64, SF_INT32, SF_INT64, SF_BOOL, SF_UINT8 } sf_dtype;

typedef struct sf_shape {
  int rank;
  int64_t dims[SF_MAX_RANK];
} sf_shape;

typedef struct sf_tensor {
  sf_dtype dtype;
  sf_shape shape;
  int64_t n;      /* element count */
  int refs;
  void *data;     /* n elements of dtype, row-major */
  struct sf_budget *budget; /* the run's memory budget this tensor is charged to, or NULL */
} sf_tensor;

SF_API const char *sf_dtype_name(sf_dtype t);            /* "float32", … (TF spelling) */
SF_API bool sf_dtype_from_name(const char *name, sf_dtype *out);
SF_API size_t sf_dtype_size(sf_dtype t);
SF_API bool sf_dtype_is_float(sf_dtype t);
/* int32, int64 or uint8 (not bool). */
SF_API bool sf_dtype_is_int(sf_dtype t);

/* Checks rank and dims (0 <= dim, product <= SF_MAX_ELEMENTS); fills *n. */
SF_API sf_status sf_shape_check(const sf_shape *s, int64_t *n, sf_error *err);
SF_API bool sf_shape_equal(const sf_shape *a, const sf_shape *b);
/* "(2, 3)" as TF prints shapes; buf of at least 64 bytes. */
SF_API const char *sf_shape_str(const sf_shape *s, char *buf, size_t len);

/* New zero-filled tensor; NULL with err set on bad shape or allocation failure. */
SF_API sf_tensor *sf_tensor_new(sf_dtype dtype, const sf_shape *shape, sf_error *err);
SF_API sf_tensor *sf_tensor_scalar_f32(float v, sf_error *err);
SF_API sf_tensor *sf_tensor_scalar_i64(int64_t v, sf_error *err);
SF_API sf_tensor *sf_tensor_ref(sf_tensor *t);
SF_API void sf_tensor_unref(sf_tensor *t);

/* Element i converted to double (any dtype). */
SF_API double sf_tensor_get(const sf_tensor *t, int64_t i);
/* Stores v into element i converted to the tensor's dtype; float -> int as tf.cast does
 * (sf_cast_to_int). */
SF_API void sf_tensor_set(sf_tensor *t, int64_t i, double v);
/* Element i of an int or bool tensor exactly; a float element as tf.cast to int64. */
SF_API int64_t sf_tensor_get_i64(const sf_tensor *t, int64_t i);
/* Stores an integer exactly (int32 wraps modulo 2^32, as TF's int32 arithmetic does; uint8
 * modulo 256, as NumPy's astype and TF's Cast do). */
SF_API void sf_tensor_set_i64(sf_tensor *t, int64_t i, int64_t v);
/* tf.cast float -> int32/int64 as TF's CPU kernel computes it on x86 (cvttsd2si): truncation
 * toward zero; NaN and values outside the type's range give the type's minimum. No UB.
 * uint8 (static_cast<uint8> on x86, NumPy's astype too): the int32 conversion, then its low
 * 8 bits (300.7 -> 44, -1.0 -> 255, NaN and 2^40 -> 0). */
SF_API int64_t sf_cast_to_int(double v, sf_dtype to);
/* True when v is representable in int dtype `to` (int32, int64, uint8; bool: 0 or 1). */
SF_API bool sf_int_fits(int64_t v, sf_dtype to);
SF_API bool sf_tensor_bits_equal(const sf_tensor *a, const sf_tensor *b);

/* NumPy's print options that seedflow honours (np.set_printoptions): fractional digits,
 * suppress (no scientific notation for small values), the element count above which a
 * summary prints (threshold), the entries it shows at each end of an axis (edgeitems)
 * and the line width. SF_PRINT_DEFAULTS are NumPy's defaults. */
typedef struct sf_print_options {
  int precision;
  bool suppress;
  int64_t threshold;
  int edgeitems;
  int linewidth;
} sf_print_options;
#define SF_PRINT_DEFAULTS ((sf_print_options){.precision = 8, .threshold = 1000, .edgeitems = 3, .linewidth = 75})

/* numpy-style body, "[[ 0.8369314  -0.73429775]]": floats to 8 significant digits. */
SF_API void sf_tensor_print_numpy(FILE *f, const sf_tensor *t);
/* numpy repr: "array([[0.1, 0.2]], dtype=float32)" (how a list of arrays prints). */
SF_API void sf_tensor_print_repr(FILE *f, const sf_tensor *t);
/* TF eager repr: "<tf.Tensor: shape=(1,), dtype=float32, numpy=array([0.5], dtype=float32)>". */
SF_API void sf_tensor_print_tf_repr(FILE *f, const sf_tensor *t);
/* TF eager style: "tf.Tensor(\n[[…]], shape=(2, 3), dtype=float32)". */
SF_API void sf_tensor_print_tf(FILE *f, const sf_tensor *t);
/* The four forms above under print options o (NULL: NumPy's defaults). */
SF_API void sf_tensor_print_numpy_with(FILE *f, const sf_tensor *t, const sf_print_options *o);
SF_API void sf_tensor_print_repr_with(FILE *f, const sf_tensor *t, const sf_print_options *o);
SF_API void sf_tensor_print_tf_repr_with(FILE *f, const sf_tensor *t, const sf_print_options *o);
SF_API void sf_tensor_print_tf_with(FILE *f, const sf_tensor *t, const sf_print_options *o);
/* Lossless: values separated by spaces, %.9g for float32, %.17g for float64. */
SF_API void sf_tensor_print_lossless(FILE *f, const sf_tensor *t);
/* One element as the lossless form writes it; buf of at least 32 bytes. */
SF_API const char *sf_tensor_format_lossless(const sf_tensor *t, int64_t i, char *buf, size_t len);

#endif

/* mod_numpy_scalar.c — NumPy scalars (numpy.float32, numpy.float64, numpy.int32,
 * numpy.int64, numpy.bool_): what an array's element, a reduction, or sess.run and
 * .numpy() of a 0-d tensor give. One is a Python number value (V_FLOAT, V_INT, V_BOOL)
 * with numpy set and dtype its type, so everything that takes a number takes it; here
 * are the places NumPy 1.24's scalars differ from Python's numbers: their type, a float32's
 * shortest repr, the result type of arithmetic between them and Python numbers
 * (numpy/core/src/umath/scalarmath.c.src: a Python int counts as int64 and a Python float
 * as float64, then NumPy's promotion), wrapping integers, division by zero giving inf, nan
 * or 0 (with a warning on stderr) instead of raising, and round() (np.around). */
#include "interp.h"
#include "py.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool sf_np_taggable(sf_dtype dt) {
  return dt == SF_FLOAT32 || dt == SF_FLOAT64 || dt == SF_INT32 || dt == SF_INT64 || dt == SF_BOOL;
}

/* Element i of t as a NumPy scalar; an element of another dtype (float16, uint8, ...) as a
 * plain Python number, as before NumPy scalars had a type here. */
sf_val sf_np_scalar_of(const sf_tensor *t, int64_t i) {
  sf_val v = {0};
  if (t->dtype == SF_BOOL) v = (sf_val){.kind = V_BOOL, .b = sf_tensor_get_i64(t, i) != 0};
  else if (sf_dtype_is_float(t->dtype)) v = (sf_val){.kind = V_FLOAT, .f = sf_tensor_get(t, i)};
  else v = (sf_val){.kind = V_INT, .i = sf_tensor_get_i64(t, i)};
  if (sf_np_taggable(t->dtype)) {
    v.numpy = true;
    v.dtype = t->dtype;
  }
  return v;
}

sf_val sf_np_float(double f, sf_dtype dt) {
  return (sf_val){.kind = V_FLOAT, .f = dt == SF_FLOAT32 ? (double)(float)f : f, .numpy = true, .dtype = dt};
}

static sf_val np_int(int64_t i, sf_dtype dt) {
  return (sf_val){.kind = V_INT, .i = dt == SF_INT32 ? (int64_t)(int32_t)(uint32_t)(uint64_t)i : i, .numpy = true,
                  .dtype = dt};
}

bool sf_np_is_scalar(const sf_val *v) {
  return v->numpy && (v->kind == V_FLOAT || v->kind == V_INT || v->kind == V_BOOL);
}

/* The NumPy type a number takes in scalar arithmetic (scalarmath.c.src convert_to_<name>:
 * a Python int is a C long, a Python float a double). */
static sf_dtype np_type(const sf_val *v) {
  if (sf_np_is_scalar(v)) return v->dtype;
  return v->kind == V_BOOL ? SF_BOOL : v->kind == V_INT ? SF_INT64 : SF_FLOAT64;
}

const char *sf_np_type_name(sf_dtype dt) {
  switch (dt) {
    case SF_FLOAT32: return "numpy.float32";
    case SF_FLOAT64: return "numpy.float64";
    case SF_INT32: return "numpy.int32";
    case SF_INT64: return "numpy.int64";
    default: return "numpy.bool_";
  }
}

/* The shortest decimal that reads back as the same float32 (NumPy's Dragon4, unique mode),
 * as a double whose Python repr prints those digits. */
double sf_np_f32_shortest(double x) {
  char tmp[64];
  for (int d = 1; d <= 9; d++) {
    snprintf(tmp, sizeof tmp, "%.*e", d - 1, x);
    double y = strtod(tmp, NULL);
    if ((float)y == (float)x) return y;
  }
  return x;
}

void sf_np_scalar_text(const sf_val *v, char *out, size_t cap) {
  if (v->kind == V_BOOL) snprintf(out, cap, "%s", v->b ? "True" : "False");
  else if (v->kind == V_INT) snprintf(out, cap, "%lld", (long long)v->i);
  else sf_float_repr(v->dtype == SF_FLOAT32 && isfinite(v->f) ? sf_np_f32_shortest(v->f) : v->f, out, cap);
}

static double as_double(const sf_val *v) { return v->kind == V_FLOAT ? v->f : v->kind == V_INT ? (double)v->i : v->b; }
static int64_t as_i64(const sf_val *v) { return v->kind == V_INT ? v->i : v->b; }

static sf_status float_op(sf_interp *I, const sf_expr *e, char op, sf_dtype rt, double x, double y, sf_val *out) {
  double r;
  bool f32 = rt == SF_FLOAT32;
  switch (op) {
    case '+': r = x + y; break; /* one rounding to float32 after the exact double result */
    case '-': r = x - y; break;
    case '*': r = x * y; break;
    case '/': r = x / y; break;
    case 'F': case '%':
      r = f32 ? sf_np_fdivmodf((float)x, (float)y, op == 'F') : sf_np_fdivmod(x, y, op == 'F');
      break;
    case 'P': r = f32 ? powf((float)x, (float)y) : pow(x, y); break;
    default:
      return sf_py_raise(I, e, BC_TYPEERR, "unsupported operand type(s) for %c: '%s' and '%s'", op, sf_np_type_name(rt),
                         sf_np_type_name(rt));
  }
  *out = sf_np_float(r, rt);
  return SF_OK;
}

/* Two's complement wrapping, as NumPy's C integers (it warns on stderr, the value wraps). */
static sf_status int_op(sf_interp *I, const sf_expr *e, char op, sf_dtype rt, int64_t x, int64_t y, sf_val *out) {
  uint64_t ux = (uint64_t)x, uy = (uint64_t)y, r = 0;
  switch (op) {
    case '+': r = ux + uy; break;
    case '-': r = ux - uy; break;
    case '*': r = ux * uy; break;
    case '/': *out = sf_np_float((double)x / (double)y, SF_FLOAT64); return SF_OK;
    case 'F': case '%': r = (uint64_t)sf_np_idivmod(x, y, op == 'F'); break;
    case 'P':
      if (y < 0) return sf_py_raise(I, e, BC_VALUEERR, "Integers to negative integer powers are not allowed.");
      r = 1;
      for (uint64_t b = ux, k = (uint64_t)y; k; k >>= 1) {
        if (k & 1) r *= b;
        b *= b;
      }
      break;
    case '&': r = ux & uy; break;
    case '|': r = ux | uy; break;
    case '^': r = ux ^ uy; break;
    case 'L': r = y < 0 || y >= 64 ? 0 : ux << y; break;
    case 'R': r = y < 0 || y >= 64 ? (x < 0 ? UINT64_MAX : 0) : (uint64_t)(x >> y); break;
    default: return sf_py_raise(I, e, BC_TYPEERR, "unsupported operand type(s) for %c", op);
  }
  *out = np_int((int64_t)r, rt);
  return SF_OK;
}

const char sf_np_bool_subtract[] = "numpy boolean subtract, the `-` operator, is not supported, use the bitwise_xor, the "
                                   "`^` operator, or the logical_xor function instead.";
const char sf_np_bool_negative[] = "The numpy boolean negative, the `-` operator, is not supported, use the `~` operator or "
                                   "the logical_not function instead.";

sf_status sf_np_binop(sf_interp *I, const sf_expr *e, char op, const sf_val *a, const sf_val *b, sf_val *out) {
  sf_dtype rt = sf_np_promote(np_type(a), false, np_type(b), false); /* np.promote_types */
  if (rt == SF_BOOL) { /* numpy.bool_'s +, * and bitwise ops are logical, / is float64's, - raises */
    bool x = a->kind == V_BOOL ? a->b : as_i64(a) != 0, y = b->kind == V_BOOL ? b->b : as_i64(b) != 0;
    bool r;
    switch (op) {
      case '+': case '|': r = x || y; break;
      case '*': case '&': r = x && y; break;
      case '^': r = x != y; break;
      case '/': *out = sf_np_float((double)x / (double)y, SF_FLOAT64); return SF_OK;
      case '-': return sf_py_raise(I, e, BC_TYPEERR, "%s", sf_np_bool_subtract);
      default: /* //, %, **, << and >>: int8 in NumPy (the ?? -> b loops) */
        return sf_error_at(I->err, e->line, e->col, SF_ENAME,
                           "unsupported: operator '%s' on two numpy.bool_ values (NumPy gives int8, a dtype seedflow lacks)",
                           sf_py_op_text(op));
    }
    *out = (sf_val){.kind = V_BOOL, .b = r, .numpy = true, .dtype = SF_BOOL};
    return SF_OK;
  }
  if (sf_dtype_is_float(rt)) {
    if (strchr("&|^LR", op))
      return sf_py_raise(I, e, BC_TYPEERR, "ufunc '%s' not supported for the input types, and the inputs could not be "
                                           "safely coerced to any supported types according to the casting rule ''safe''",
                         op == '&' ? "bitwise_and" : op == '|' ? "bitwise_or" : op == '^' ? "bitwise_xor"
                         : op == 'L' ? "left_shift" : "right_shift");
    return float_op(I, e, op, rt, as_double(a), as_double(b), out);
  }
  return int_op(I, e, op, rt, as_i64(a), as_i64(b), out);
}

sf_val sf_np_neg(const sf_val *v, char op) {
  if (v->kind == V_FLOAT) return sf_np_float(op == '-' ? -v->f : v->f, v->dtype);
  if (v->kind == V_BOOL) return op == '~' ? (sf_val){.kind = V_BOOL, .b = !v->b, .numpy = true, .dtype = SF_BOOL} : *v;
  return np_int(op == '-' ? (int64_t)(0 - (uint64_t)v->i) : op == '~' ? ~v->i : v->i, v->dtype);
}

sf_val sf_np_abs(const sf_val *v) {
  if (v->kind == V_FLOAT) return sf_np_float(fabs(v->f), v->dtype);
  if (v->kind == V_BOOL) return *v;
  return np_int(v->i < 0 ? (int64_t)(0 - (uint64_t)v->i) : v->i, v->dtype);
}

/* round(x, nd) of a NumPy scalar: np.around (PyArray_Round, multiarray/calculation.c):
 * multiply by 10**nd (divide for nd < 0) in double, store in x's type, rint, divide back;
 * an integer is returned unchanged for nd >= 0. */
sf_val sf_np_round(const sf_val *v, int64_t nd) {
  if (v->kind != V_FLOAT && nd >= 0) return *v;
  int64_t k = nd < 0 ? -nd : nd;
  double f = pow(10.0, (double)(k > 400 ? 400 : k)), x = as_double(v);
  sf_dtype rt = v->kind == V_FLOAT ? v->dtype : SF_FLOAT64;
  double y = sf_np_float(nd >= 0 ? x * f : x / f, rt).f;
  y = sf_np_float(nearbyint(y), rt).f;
  y = sf_np_float(nd >= 0 ? y / f : y * f, rt).f;
  if (v->kind == V_FLOAT) return sf_np_float(y, rt);
  return np_int(sf_cast_to_int(y, SF_INT64), v->dtype == SF_BOOL ? SF_INT64 : v->dtype); /* no UB past int64 */
}

void sf_np_scalarize(sf_interp *I, sf_val *v) {
  if (v->kind != V_TENSOR || !v->numpy || v->counted) return;
  const sf_tensor *t = sf_b_host_value(I, v);
  if (t && t->shape.rank == 0 && sf_np_taggable(t->dtype)) *v = sf_np_scalar_of(t, 0);
}

sf_status sf_np_of_eager(sf_interp *I, const sf_val *t, sf_val *out) {
  sf_tensor *value = sf_b_eager_value(I, t);
  if (!value) { /* a graph's tensor: read as an array where its value is fetched */
    *out = *t;
    out->numpy = true;
    if (out->counted) sf_eager_pin(&I->E, out->node);
    out->counted = false;
    sf_np_scalarize(I, out);
    return SF_OK;
  }
  /* an eager tensor's value: an array of its own, which an in-place operator changes alone
   * (ops.py _EagerTensorBase.numpy returns maybe_arr.copy()) */
  int id;
  sf_status st = sf_b_host_array(I, value, "numpy", &id);
  if (st != SF_OK) return st;
  *out = (sf_val){.kind = V_TENSOR, .g = I->E.g, .node = id, .numpy = true};
  sf_np_scalarize(I, out);
  return SF_OK;
}

sf_class *sf_np_type_class(sf_interp *I, const sf_val *v) {
  if (v->kind == V_MODULE && v->s && strcmp(v->s, "np.ndarray") == 0) return I->py->cls[BC_NP_NDARRAY];
  if (v->kind != V_DTYPE || !v->numpy || v->s == sf_np_dtype_tag || !sf_np_taggable(v->dtype)) return NULL; /* arr.dtype is no class */
  sf_val scalar = {.kind = v->dtype == SF_BOOL ? V_BOOL : sf_dtype_is_float(v->dtype) ? V_FLOAT : V_INT, .numpy = true,
                   .dtype = v->dtype};
  return sf_py_type(I, &scalar);
}
